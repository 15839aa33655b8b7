import DriftCore
import KMSValidation
import TOML

/// An environment variable whose key has an array subscript, `KMS_CORE__THRESHOLD__PEERS[1]__ADDRESS`
/// (possible with `docker run -e` or Kubernetes `env`, not in a shell).
///
/// config-rs parses the key `threshold.peers[1].address` as a path expression (`source.rs`
/// `set_value` → `path::Expression::set`): `[1]` is the array element at 0-based position 1
/// (`[-1]` the last), and the assignment changes that element's `address` in place, keeping the
/// rest of the list. Because the environment source is applied after the files, the element is
/// the one the merged files give.
struct IndexedEnvironmentOverride {
    enum Part: Equatable {
        case key(String)
        case index(Int)
    }

    let name: String
    let parts: [Part]
    let value: String

    /// `peers[1]` → `.key("peers"), .index(1)`; nil when the part is not `identifier([n])*`.
    static func parse(_ part: String) -> [Part]? {
        guard let open = part.firstIndex(of: "[") else {
            return EnvironmentOverrides.isIdentifier(part) ? [.key(part)] : nil
        }
        let name = String(part[..<open])
        guard EnvironmentOverrides.isIdentifier(name) else { return nil }
        var parts: [Part] = [.key(name)]
        var rest = part[open...]
        while !rest.isEmpty {
            guard rest.first == "[", let close = rest.firstIndex(of: "]"),
                let index = Int(rest[rest.index(after: rest.startIndex)..<close])
            else { return nil }
            parts.append(.index(index))
            rest = rest[rest.index(after: close)...]
        }
        return parts
    }

    /// The dotted key as config-rs sees it: `threshold.peers[1].address`.
    var keyText: String {
        var text = ""
        for part in parts {
            switch part {
            case .key(let key): text += text.isEmpty ? key : "." + key
            case .index(let index): text += "[\(index)]"
            }
        }
        return text
    }

    /// The Rust type at the path: subscripts step into a `Vec`'s element type.
    func schemaType() -> KMSSchema.RustType? {
        var type = KMSSchema.RustType.structure("CoreConfig", KMSSchema.root)
        for part in parts {
            switch (part, type) {
            case (.key(let key), .structure(_, let table)), (.key(let key), .enumeration(_, let table)):
                guard let entry = table.key(key) else { return nil }
                type = entry.type
            case (.index, .vector(let element)):
                type = element
            default:
                return nil
            }
        }
        return type
    }

    /// Applies the override to the merged configuration, converted to the key's type.
    func apply(to root: inout LayeredTable) throws(EffectiveConfigError) {
        let path = parts.compactMap { if case .key(let key) = $0 { return key } else { return nil } }
        let converted: TOMLValue
        if let type = schemaType() {
            converted = try EnvironmentOverrides.convert(value, to: type, name: name, path: path)
        } else {
            converted = .string(value)
        }
        var rootValue = LayeredValue.table(root)
        try set(.scalar(converted, .environment(name: name)), in: &rootValue, parts: parts[...])
        if case .table(let table) = rootValue { root = table }
    }

    private func set(_ leaf: LayeredValue, in value: inout LayeredValue, parts: ArraySlice<Part>)
        throws(EffectiveConfigError)
    {
        guard let part = parts.first else {
            value = leaf
            return
        }
        switch part {
        case .key(let key):
            var table = value.tableValue ?? LayeredTable(origin: leaf.origin)
            var child = table[key] ?? .table(LayeredTable(origin: leaf.origin))
            if parts.count == 1 {
                child = leaf
            } else {
                try set(leaf, in: &child, parts: parts.dropFirst())
            }
            table[key] = child
            value = .table(table)
        case .index(let index):
            guard case .array(var elements, let origin) = value else {
                throw .environmentName(
                    name: name,
                    reason:
                        "`\(keyText)` indexes a list that no layer file defines; config-rs would make a list of "
                        + "empty entries that kms-server refuses. Define the list in a file, or fix the index"
                )
            }
            let position = index < 0 ? elements.count + index : index
            guard elements.indices.contains(position) else {
                throw .environmentName(
                    name: name,
                    reason:
                        "`\(keyText)` names position \(index), but the list has \(elements.count) entries "
                        + "(positions count from 0); config-rs would pad it with empty entries that kms-server refuses"
                )
            }
            try set(leaf, in: &elements[position], parts: parts.dropFirst())
            value = .array(elements, origin)
        }
    }
}
