import DriftCore

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

    /// Reads a statement; the reason is a sentence for the report when it is not one.
    ///
    /// Read with DriftCore's ``JSONReader``, refusing a repeated key: the signature covers the
    /// members, and a member given twice would read one way here and another in another reader.
    package static func parse(_ bytes: [UInt8]) -> Result<Statement, StatementProblem> {
        let tree: JSONValue
        do throws(JSONReadError) {
            tree = try JSONReader.read(
                bytes, duplicateKeys: .refuse,
                limits: JSONReader.Limits(maximumBytes: Int(StatementFormat.maximumSize)))
        } catch {
            switch error {
            case .tooLarge:
                return .failure(.malformed("it is larger than \(StatementFormat.maximumSize) bytes"))
            case .invalid:
                return .failure(.malformed("it is not a kms-drift statement (invalid JSON at \(error))"))
            }
        }
        guard case .object(let document) = tree else {
            return .failure(.malformed("it is not a kms-drift statement (the top level is not an object)"))
        }
        if case .string(let format, _)? = document["format"], format != StatementFormat.name {
            return .failure(
                .malformed(
                    "its format is \"\(format)\", not \"\(StatementFormat.name)\" (a newer kms-drift?)"))
        }
        let statement: Statement
        do throws(StatementMemberError) {
            statement = try Self.statement(document)
        } catch {
            return .failure(.malformed("it is not a kms-drift statement (\(error.reason))"))
        }
        // Every member is required (chain_head and signature may be null) and no other is allowed:
        // a renamed member must not read as an absent one.
        let names = Set(document.keys)
        if let unknown = names.subtracting(Self.members).sorted().first {
            return .failure(.malformed("it has a member \"\(unknown)\" that version 1 does not know"))
        }
        if let absent = Self.members.subtracting(names).subtracting(["values"]).sorted().first {
            return .failure(.malformed("member \"\(absent)\" is missing"))
        }
        for (path, digest) in statement.components where !StatementFormat.isDigest(digest) || path.isEmpty {
            return .failure(.malformed("component \(path) has no sha256: digest"))
        }
        return .success(statement)
    }

    /// The members, in the order of the format; the first missing or mistyped one is the error.
    private static func statement(_ document: JSONObject) throws(StatementMemberError) -> Statement {
        // Its value is checked by `parse` before: here only that it is there and a string.
        _ = try StatementMemberError.string(document, "format")
        return Statement(
            network: try StatementMemberError.string(document, "network"),
            saltID: try StatementMemberError.string(document, "salt_id"),
            partyID: try StatementMemberError.integer(document, "party_id"),
            time: try StatementMemberError.string(document, "time"),
            sequence: try StatementMemberError.integer(document, "sequence"),
            chainHead: try StatementMemberError.optionalString(document, "chain_head"),
            components: try StatementMemberError.strings(document, "components", optional: false),
            values: try StatementMemberError.strings(document, "values", optional: true),
            signature: try StatementMemberError.optionalString(document, "signature"))
    }

    static let members: Set<String> = [
        "format", "network", "salt_id", "party_id", "time", "sequence", "chain_head", "components", "values",
        "signature",
    ]
}

/// A member of a statement missing or of the wrong type, in words for the report.
private struct StatementMemberError: Error {
    var reason: String

    static func missing(_ name: String) -> StatementMemberError {
        StatementMemberError(reason: "member \"\(name)\" is missing")
    }

    static func wrongType(_ name: String, _ value: JSONValue) -> StatementMemberError {
        StatementMemberError(
            reason: "member \"\(name)\" has the wrong type: \(value.kind) at \(value.position)")
    }

    static func string(_ object: JSONObject, _ name: String) throws(StatementMemberError) -> String {
        guard let value = object[name] else { throw missing(name) }
        guard case .string(let text, _) = value else { throw wrongType(name, value) }
        return text
    }

    /// A string or null; absent reads as null here (``Statement/parse(_:)`` then names it missing).
    static func optionalString(_ object: JSONObject, _ name: String) throws(StatementMemberError) -> String? {
        switch object[name] {
        case nil, .null: return nil
        case .string(let text, _): return text
        case let value?: throw wrongType(name, value)
        }
    }

    static func integer(_ object: JSONObject, _ name: String) throws(StatementMemberError) -> Int64 {
        guard let value = object[name] else { throw missing(name) }
        guard case .integer(let integer, _) = value else { throw wrongType(name, value) }
        return integer
    }

    /// An object of strings; when `optional`, absent or null reads as empty.
    static func strings(_ object: JSONObject, _ name: String, optional: Bool) throws(StatementMemberError)
        -> [String: String]
    {
        let members: JSONObject
        switch object[name] {
        case nil where optional, .null? where optional: return [:]
        case nil: throw missing(name)
        case .object(let object)?: members = object
        case let value?: throw wrongType(name, value)
        }
        var result: [String: String] = [:]
        for member in members.members {
            guard case .string(let text, _) = member.value else {
                throw wrongType("\(name).\(member.key)", member.value)
            }
            result[member.key] = text
        }
        return result
    }
}
