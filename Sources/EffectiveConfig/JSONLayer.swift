import DriftCore
import TOML

/// JSON documents as configuration layers: DriftCore's ``JSONReader`` reads them (for
/// `config/default.json`, the live `GET /config` answer), and this turns the tree into a
/// ``LayeredValue`` whose every value carries its origin.
///
/// The reader's choices are config-rs's (serde_json): an integer that fits `i64` is an integer,
/// anything with a fraction or exponent is a float; object keys keep document order, and a
/// repeated key keeps the last value.
package enum JSONLayer {
    /// Parses a whole document; `source` names it in errors, `origin` turns a line into an origin.
    static func parse(
        _ bytes: [UInt8], source: String, origin: (Int) -> ValueOrigin
    ) throws(EffectiveConfigError) -> LayeredValue {
        let tree: JSONValue
        do throws(JSONReadError) {
            tree = try JSONReader.read(bytes, duplicateKeys: .keepLast)
        } catch {
            switch error {
            case .invalid(let line, let column, let reason):
                throw .invalidJSON(source: source, line: line, column: column, reason: reason)
            case .tooLarge:
                throw .invalidJSON(source: source, line: 1, column: 1, reason: error.description)
            }
        }
        return layered(tree, origin)
    }

    /// A JSON layer file: its top level must be an object (config-rs refuses anything else).
    package static func readLayer(_ bytes: [UInt8], displayPath: String) throws(EffectiveConfigError)
        -> LayeredTable
    {
        let value = try parse(bytes, source: displayPath) { .file(path: displayPath, line: $0) }
        guard case .table(let table) = value else {
            throw .invalidJSON(
                source: displayPath, line: 1, column: 1, reason: "the top level is not an object")
        }
        return table
    }

    private static func layered(_ value: JSONValue, _ origin: (Int) -> ValueOrigin) -> LayeredValue {
        let here = origin(value.position.line)
        switch value {
        case .object(let object):
            var table = LayeredTable(origin: here)
            for member in object.members { table[member.key] = layered(member.value, origin) }
            return .table(table)
        case .array(let elements, _): return .array(elements.map { layered($0, origin) }, here)
        case .string(let text, _): return .scalar(.string(text), here)
        case .integer(let integer, _): return .scalar(.integer(integer), here)
        case .float(let float, _): return .scalar(.float(float), here)
        case .boolean(let boolean, _): return .scalar(.boolean(boolean), here)
        case .null: return .null(here)
        }
    }
}
