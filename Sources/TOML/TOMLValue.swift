/// A decoded TOML value.
///
/// Scalars are stored by value (an integer written `0x3e8` is `.integer(1000)`), so two
/// spellings of the same value compare equal; containers keep document order and the
/// source location of every member.
public enum TOMLValue: Sendable {
    case string(String)
    case integer(Int64)
    case float(Double)
    case boolean(Bool)
    /// Boxed (`indirect`) so the common cases keep `TOMLValue` at 16 bytes.
    indirect case dateTime(TOMLDateTime)
    case array(TOMLArray)
    case table(TOMLTable)

    /// The type name TOML and toml-test use: `string`, `integer`, `float`, `bool`,
    /// `datetime`, `datetime-local`, `date-local`, `time-local`, `array`, `table`.
    public var typeName: String {
        switch self {
        case .string: return "string"
        case .integer: return "integer"
        case .float: return "float"
        case .boolean: return "bool"
        case .dateTime(let value): return value.kind.rawValue
        case .array: return "array"
        case .table: return "table"
        }
    }

    public var stringValue: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    public var integerValue: Int64? {
        if case .integer(let value) = self { return value }
        return nil
    }

    public var tableValue: TOMLTable? {
        if case .table(let value) = self { return value }
        return nil
    }

    public var arrayValue: TOMLArray? {
        if case .array(let value) = self { return value }
        return nil
    }
}
