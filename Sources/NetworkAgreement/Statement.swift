import DriftCore
import FoundationEssentials

/// One party's signed statement of the network-shared part of its configuration
/// (`kms-drift.statement/1`): who says it, when, its sequence number, its history's chain head,
/// a digest per component and, on request, the components' canonical values.
///
/// The signature is Ed25519 over ``signedText``, a line-based text rebuilt from the members (not
/// over the JSON bytes), so the JSON may be re-indented without breaking it.
package struct Statement: Sendable, Equatable {
    package var network: String
    package var saltID: String
    package var partyID: Int64
    /// RFC 3339, UTC, to the second: `2026-12-06T20:00:00Z`.
    package var time: String
    /// Strictly increasing per party: a lower or reused number is a replay.
    package var sequence: Int64
    /// `sha256:…` of the party's newest chain link, when it publishes from a store.
    package var chainHead: String?
    /// Component key path → `sha256:…`.
    package var components: [String: String]
    /// Leaf key path → canonical value (`--with-values`); empty otherwise.
    package var values: [String: String]
    /// `ed25519:` and the base64 of the 64-byte signature; nil when unsigned.
    package var signature: String?

    package init(
        network: String, saltID: String, partyID: Int64, time: String, sequence: Int64, chainHead: String?,
        components: [String: String], values: [String: String] = [:], signature: String? = nil
    ) {
        self.network = network
        self.saltID = saltID
        self.partyID = partyID
        self.time = time
        self.sequence = sequence
        self.chainHead = chainHead
        self.components = components
        self.values = values
        self.signature = signature
    }

    /// The text that is signed (UTF-8), one `\n`-terminated line each:
    /// ```
    /// kms-drift.statement/1
    /// network <network as a JSON string>
    /// salt_id <salt_id>
    /// party_id <decimal>
    /// time <time>
    /// sequence <decimal>
    /// chain_head <chain_head, or ->
    /// component <path> <digest>      one per component, sorted by the UTF-8 bytes of the path
    /// value <path> <canonical value>  one per value (--with-values), sorted the same way
    /// ```
    package var signedText: String {
        var text = "\(StatementFormat.name)\nnetwork \(JSONWriter.quoted(network))\nsalt_id \(saltID)\n"
        text += "party_id \(partyID)\ntime \(time)\nsequence \(sequence)\nchain_head \(chainHead ?? "-")\n"
        for path in Self.sorted(components.keys) { text += "component \(path) \(components[path]!)\n" }
        for path in Self.sorted(values.keys) { text += "value \(path) \(values[path]!)\n" }
        return text
    }

    /// Paths in the order of the format: by their UTF-8 bytes.
    static func sorted<S: Sequence>(_ paths: S) -> [String] where S.Element == String {
        paths.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
    }

    /// The statement as a JSON document (two-space indented, members in a fixed order).
    package func json() -> String {
        var writer = JSONWriter(pretty: true)
        writer.beginObject()
        writer.key("format")
        writer.string(StatementFormat.name)
        writer.key("network")
        writer.string(network)
        writer.key("salt_id")
        writer.string(saltID)
        writer.key("party_id")
        writer.raw(String(partyID))
        writer.key("time")
        writer.string(time)
        writer.key("sequence")
        writer.raw(String(sequence))
        writer.key("chain_head")
        writer.optionalString(chainHead)
        writer.key("components")
        writer.beginObject()
        for path in Self.sorted(components.keys) {
            writer.key(path)
            writer.string(components[path]!)
        }
        writer.endObject()
        if !values.isEmpty {
            writer.key("values")
            writer.beginObject()
            for path in Self.sorted(values.keys) {
                writer.key(path)
                writer.string(values[path]!)
            }
            writer.endObject()
        }
        writer.key("signature")
        writer.optionalString(signature)
        writer.endObject()
        return writer.output + "\n"
    }

    /// The members as JSON decodes them; checked by ``parse(_:)``.
    private struct Document: Decodable {
        var format: String
        var network: String
        var salt_id: String
        var party_id: Int64
        var time: String
        var sequence: Int64
        var chain_head: String?
        var components: [String: String]
        var values: [String: String]?
        var signature: String?
    }

    /// Reads a statement; the reason is a sentence for the report when it is not one.
    package static func parse(_ bytes: [UInt8]) -> Result<Statement, StatementProblem> {
        guard bytes.count <= StatementFormat.maximumSize else {
            return .failure(.malformed("it is larger than \(StatementFormat.maximumSize) bytes"))
        }
        let document: Document
        do {
            document = try JSONDecoder().decode(Document.self, from: Data(bytes))
        } catch {
            if let format = try? JSONDecoder().decode(FormatOnly.self, from: Data(bytes)).format,
                format != StatementFormat.name
            {
                return .failure(
                    .malformed(
                        "its format is \"\(format)\", not \"\(StatementFormat.name)\" (a newer kms-drift?)"))
            }
            return .failure(.malformed("it is not a kms-drift statement (\(Self.reason(error)))"))
        }
        // Every member is required (chain_head and signature may be null) and no other is allowed:
        // a renamed member must not read as an absent one.
        let names = (try? JSONDecoder().decode(MemberNames.self, from: Data(bytes)).names) ?? []
        if let unknown = names.subtracting(Self.members).sorted().first {
            return .failure(.malformed("it has a member \"\(unknown)\" that version 1 does not know"))
        }
        if let absent = Self.members.subtracting(names).subtracting(["values"]).sorted().first {
            return .failure(.malformed("member \"\(absent)\" is missing"))
        }
        guard document.format == StatementFormat.name else {
            return .failure(
                .malformed(
                    "its format is \"\(document.format)\", not \"\(StatementFormat.name)\" (a newer kms-drift?)"
                ))
        }
        for (path, digest) in document.components where !StatementFormat.isDigest(digest) || path.isEmpty {
            return .failure(.malformed("component \(path) has no sha256: digest"))
        }
        return .success(
            Statement(
                network: document.network, saltID: document.salt_id, partyID: document.party_id,
                time: document.time, sequence: document.sequence, chainHead: document.chain_head,
                components: document.components, values: document.values ?? [:],
                signature: document.signature))
    }

    private struct FormatOnly: Decodable { var format: String }

    static let members: Set<String> = [
        "format", "network", "salt_id", "party_id", "time", "sequence", "chain_head", "components", "values",
        "signature",
    ]

    /// The names of the top-level members, whatever their values.
    private struct MemberNames: Decodable {
        var names: Set<String>
        struct Name: CodingKey {
            var stringValue: String
            var intValue: Int? { nil }
            init(stringValue: String) { self.stringValue = stringValue }
            init?(intValue: Int) { nil }
        }
        init(from decoder: any Decoder) throws {
            names = Set(try decoder.container(keyedBy: Name.self).allKeys.map(\.stringValue))
        }
    }

    /// A decoding error in a few words (JSONDecoder's descriptions are long and technical).
    private static func reason(_ error: any Error) -> String {
        switch error as? DecodingError {
        case .keyNotFound(let key, _): return "member \"\(key.stringValue)\" is missing"
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            let path = context.codingPath.map(\.stringValue).joined(separator: ".")
            return "member \"\(path)\" has the wrong type"
        case .dataCorrupted: return "invalid JSON"
        default: return "invalid JSON"
        }
    }
}
