import DriftCore
import TOML

/// The configuration kms-server builds from its layers and environment, each leaf with its
/// origin: what the node really runs (or will run at its next start).
package struct EffectiveConfiguration: Sendable {
    /// The name the effective configuration has in reports and snapshots.
    package static let virtualPath = "@effective/kms-server.toml"

    package let root: LayeredTable
    /// The layer files read, in merge order.
    package let layers: [LayerFile]
    /// The `KMS_CORE__…` variables applied, in order.
    package let environmentVariables: [String]
    /// What the operator should know: files not read, ambiguous slots, unknown `RUN_MODE`.
    package let notes: [String]
    /// File values config-rs converts on their way to kms-server (`timeout_secs = 2.6` runs as 3),
    /// by key path: what `--show-origin` names beside the origin.
    package let conversions: [KeyPath: ValueConversion]

    package init(
        root: LayeredTable, layers: [LayerFile], environmentVariables: [String], notes: [String],
        conversions: [KeyPath: ValueConversion] = [:]
    ) {
        self.root = root
        self.layers = layers
        self.environmentVariables = environmentVariables
        self.notes = notes
        self.conversions = conversions
    }

    /// The configuration as TOML, secrets redacted unless the policy shows them.
    package func toml(showOrigin: Bool = false, secrets: SecretPolicy = SecretPolicy()) -> String {
        TOMLDocumentWriter(showOrigin: showOrigin, secrets: secrets, conversions: conversions).document(root)
    }

    /// The configuration as the parsed TOML every other command works on (diff, validate,
    /// fingerprint): written in full, without redaction, then read back.
    package func configFile(named name: String = virtualPath) throws(EffectiveConfigError) -> ConfigFile {
        let text = toml(showOrigin: false, secrets: SecretPolicy(showSecrets: true))
        do {
            return try ConfigFile.parse(Array(text.utf8), path: name)
        } catch {
            // The writer emits valid TOML for every value a layer can hold; a failure here is a bug
            // worth reporting with its text rather than a trap.
            throw .invalidTOML(message: "internal: the effective configuration did not read back: \(error)")
        }
    }

    /// Where the value at `path` came from. Array items may be named by position or by
    /// identity (`threshold.peers[party_id=3].address`), as drift reports name them.
    package func origin(at path: KeyPath) -> ValueOrigin? {
        Self.origin(in: .table(root), at: path.segments[...])
    }

    static func origin(in value: LayeredValue, at segments: ArraySlice<KeyPath.Segment>) -> ValueOrigin? {
        guard let segment = segments.first else { return value.origin }
        switch (segment, value) {
        case (.key(let key), .table(let table)):
            guard let child = table[key] else { return nil }
            return origin(in: child, at: segments.dropFirst())
        case (.position(let position), .array(let elements, let arrayOrigin)):
            guard elements.indices.contains(position) else { return arrayOrigin }
            return origin(in: elements[position], at: segments.dropFirst()) ?? arrayOrigin
        case (.identity(let key, let wanted), .array(let elements, let arrayOrigin)):
            let match = elements.first { element in
                guard case .table(let item) = element, case .scalar(let scalar, _)? = item[key] else {
                    return false
                }
                return identityText(scalar) == wanted
            }
            guard let match else { return arrayOrigin }
            return origin(in: match, at: segments.dropFirst()) ?? arrayOrigin
        default:
            return nil
        }
    }

    private static func identityText(_ value: TOMLValue) -> String {
        switch value {
        case .string(let text): return text
        case .integer(let number): return String(number)
        case .boolean(let flag): return String(flag)
        case .float(let number): return String(number)
        case .dateTime(let moment): return moment.description
        case .array, .table: return ""
        }
    }

    /// Every leaf (scalars and whole arrays) with its dotted path and origin, in document order.
    package var leaves: [(path: KeyPath, origin: ValueOrigin)] {
        var result: [(KeyPath, ValueOrigin)] = []
        func walk(_ table: LayeredTable, _ path: KeyPath) {
            for (key, value) in table.entries {
                let childPath = path.appending(key: key)
                switch value {
                case .table(let child): walk(child, childPath)
                case .array(let elements, let origin):
                    if TOMLDocumentWriter.isArrayOfTables(elements) {
                        for (position, element) in elements.enumerated() {
                            if case .table(let item) = element {
                                walk(item, childPath.appending(.position(position)))
                            }
                        }
                    } else {
                        result.append((childPath, origin))
                    }
                case .scalar(_, let origin): result.append((childPath, origin))
                case .null: continue
                }
            }
        }
        walk(root, .root)
        return result
    }
}
