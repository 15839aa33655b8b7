import TOML

/// A value of a configuration being assembled from layers, each leaf carrying its origin.
///
/// This is config-rs's `Value` as kms-server's loader builds it: tables merge deeply, anything
/// else (scalars, arrays) is replaced whole by a later layer, and `null` (from a JSON layer or
/// the live report) is a value that unsets what lower layers said.
package indirect enum LayeredValue: Sendable {
    /// A string, integer, float, boolean or date-time.
    case scalar(TOMLValue, ValueOrigin)
    /// JSON `null`: Rust's `None`. Never written to TOML, which has no null.
    case null(ValueOrigin)
    /// An array; arrays are never merged, so the whole array has one origin.
    case array([LayeredValue], ValueOrigin)
    case table(LayeredTable)

    /// Where the value came from; for a table, where it was first defined (if known).
    package var origin: ValueOrigin? {
        switch self {
        case .scalar(_, let origin), .null(let origin), .array(_, let origin): return origin
        case .table(let table): return table.origin
        }
    }

    package var tableValue: LayeredTable? {
        if case .table(let table) = self { return table }
        return nil
    }
}

/// A table of a layered configuration: keys in the order they first appeared.
package struct LayeredTable: Sendable {
    package private(set) var keys: [String] = []
    private var values: [String: LayeredValue] = [:]
    /// Where the table was first written (a header or a key), if it came from a file.
    package internal(set) var origin: ValueOrigin?

    package init(origin: ValueOrigin? = nil) {
        self.origin = origin
    }

    package subscript(key: String) -> LayeredValue? {
        get { values[key] }
        set {
            if let newValue {
                if values.updateValue(newValue, forKey: key) == nil { keys.append(key) }
            } else if values.removeValue(forKey: key) != nil {
                keys.removeAll { $0 == key }
            }
        }
    }

    package var isEmpty: Bool { keys.isEmpty }

    /// `(key, value)` pairs in key order.
    package var entries: [(key: String, value: LayeredValue)] {
        keys.map { ($0, values[$0]!) }
    }
}
