/// An environment as kms-server would see it: names and values in the order they were set,
/// later sources overriding earlier ones (an `--env-file` after the process's own variables).
package struct EnvironmentVariables: Sendable, Equatable {
    package private(set) var names: [String] = []
    private var values: [String: String] = [:]

    package init() {}

    package init(_ pairs: [(String, String)]) {
        for (name, value) in pairs { self[name] = value }
    }

    package subscript(name: String) -> String? {
        get { values[name] }
        set {
            if let newValue {
                if values.updateValue(newValue, forKey: name) == nil { names.append(name) }
            } else if values.removeValue(forKey: name) != nil {
                names.removeAll { $0 == name }
            }
        }
    }

    /// `(name, value)` in the order the names were first set.
    package var pairs: [(name: String, value: String)] { names.map { ($0, values[$0]!) } }

    package var isEmpty: Bool { names.isEmpty }

    /// Adds every variable of `other`, its values winning.
    package mutating func overlay(_ other: EnvironmentVariables) {
        for (name, value) in other.pairs { self[name] = value }
    }

    /// Parses `NAME=value` entries as `/proc/PID/environ` and `environ(7)` hold them.
    /// Entries that are not valid UTF-8 keep their bytes decoded with replacement characters.
    package static func parsing(entries: [[UInt8]]) -> EnvironmentVariables {
        var result = EnvironmentVariables()
        for entry in entries {
            guard let equals = entry.firstIndex(of: UInt8(ascii: "=")), equals > 0 else { continue }
            let name = String(decoding: entry[..<equals], as: UTF8.self)
            result[name] = String(decoding: entry[(equals + 1)...], as: UTF8.self)
        }
        return result
    }
}
