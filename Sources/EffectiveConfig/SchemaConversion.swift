import DriftCore
import KMSValidation
import TOML

/// serde's view of the merged configuration: config-rs hands every value to serde, which asks for
/// the field's Rust type, and config-rs converts (`value.rs`: `into_bool`, `into_uint`,
/// `into_float`, `into_string`). So `timeout_secs = 2.6` runs as 3 and `region = 42` as "42"
/// whatever the layer; this applies those conversions to file values as the environment's are,
/// and records each one so `--show-origin` can name it.
enum SchemaConversion {
    /// `root` with every scalar of a known key converted to its schema type; values config-rs
    /// would refuse are left as written (`validate` reports them). `conversions` names each value
    /// that changed, by key path.
    static func convert(_ root: LayeredTable) -> (root: LayeredTable, conversions: [KeyPath: ValueConversion])
    {
        var conversions: [KeyPath: ValueConversion] = [:]
        let converted = convert(root, schema: KMSSchema.root, path: .root, conversions: &conversions)
        return (converted, conversions)
    }

    private static func convert(
        _ table: LayeredTable, schema: KMSSchema.Table, path: KeyPath,
        conversions: inout [KeyPath: ValueConversion]
    ) -> LayeredTable {
        var result = table
        for (key, value) in table.entries {
            guard let type = schema.key(key)?.type else { continue }
            result[key] = convert(
                value, type: type, path: path.appending(key: key), conversions: &conversions)
        }
        return result
    }

    private static func convert(
        _ value: LayeredValue, type: KMSSchema.RustType, path: KeyPath,
        conversions: inout [KeyPath: ValueConversion]
    ) -> LayeredValue {
        switch (value, type) {
        case (.table(let table), .structure(_, let schema)), (.table(let table), .enumeration(_, let schema)):
            return .table(convert(table, schema: schema, path: path, conversions: &conversions))
        case (.array(let elements, let origin), .vector(let element)):
            let converted = elements.enumerated().map { position, item in
                convert(
                    item, type: element, path: path.appending(.position(position)), conversions: &conversions)
            }
            return .array(converted, origin)
        case (.scalar(let scalar, let origin), _):
            guard let (converted, how) = convert(scalar, to: type), !same(converted, scalar) else {
                return value
            }
            // An environment value is a string by nature; its conversion goes without saying.
            if case .file = origin { conversions[path] = ValueConversion(written: scalar, how: how) }
            return .scalar(converted, origin)
        default:
            return value
        }
    }

    /// The value serde receives for `type`, and how config-rs got there; nil when config-rs
    /// refuses the value or the type is not a scalar.
    static func convert(_ value: TOMLValue, to type: KMSSchema.RustType) -> (TOMLValue, String)? {
        switch type {
        case .bool:
            guard let flag = ConfigRsConversion.bool(value) else { return nil }
            return (.boolean(flag), "read as a boolean as config-rs does")
        case .unsigned(let width):
            guard case .success(let number) = ConfigRsConversion.unsigned(value, as: width),
                let integer = Int64(exactly: number)
            else { return nil }
            let how =
                ConfigRsConversion.roundsAway(value)
                ? "rounded as config-rs does" : "read as an integer as config-rs does"
            return (.integer(integer), how)
        case .f64:
            guard let number = ConfigRsConversion.float(value) else { return nil }
            return (.float(number), "read as a number as config-rs does")
        case .string, .path, .url, .hexBytes, .address, .unitEnum:
            // A TOML date-time reaches serde as a string already.
            if case .dateTime = value { return nil }
            guard let text = ConfigRsConversion.string(value) else { return nil }
            return (.string(text), "read as a string as config-rs does")
        case .structure, .enumeration, .vector:
            return nil
        }
    }

    /// The same TOML scalar (type and value).
    static func same(_ a: TOMLValue, _ b: TOMLValue) -> Bool {
        switch (a, b) {
        case (.string(let x), .string(let y)): return x == y
        case (.integer(let x), .integer(let y)): return x == y
        case (.float(let x), .float(let y)): return x == y || (x.isNaN && y.isNaN)
        case (.boolean(let x), .boolean(let y)): return x == y
        default: return false
        }
    }
}

/// A file value kms-server's loader converts on the way to its field (`2.6` → 3): what was
/// written and how config-rs converted it, for `effective --show-origin`.
package struct ValueConversion: Sendable {
    package let written: TOMLValue
    /// "rounded as config-rs does", "read as a boolean as config-rs does", …
    package let how: String
}
