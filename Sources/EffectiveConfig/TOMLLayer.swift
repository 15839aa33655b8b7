import DriftCore
import FileSystem
import TOML

/// Reads a TOML layer file into a layered table whose every leaf knows its `file:line`.
enum TOMLLayer {
    static func read(_ path: String, displayPath: String) throws(EffectiveConfigError) -> LayeredTable {
        let bytes: [UInt8]
        do {
            bytes = try FileContents.read(path)
        } catch {
            throw .unreadable(path: displayPath, reason: error.description)
        }
        return try parse(bytes, displayPath: displayPath)
    }

    static func parse(_ bytes: [UInt8], displayPath: String) throws(EffectiveConfigError) -> LayeredTable {
        do {
            let root = try TOMLParser(version: .v1_1).parse(bytes, fileName: displayPath)
            return layered(root, file: displayPath)
        } catch {
            throw .invalidTOML(message: error.description)
        }
    }

    static func layered(_ table: TOMLTable, file: String) -> LayeredTable {
        var result = LayeredTable(origin: .file(path: file, line: table.location.line))
        for entry in table.entries {
            result[entry.key] = layered(entry.value, file: file, line: entry.keyLocation.line)
        }
        return result
    }

    static func layered(_ value: TOMLValue, file: String, line: Int) -> LayeredValue {
        switch value {
        case .table(let table):
            return .table(layered(table, file: file))
        case .array(let array):
            let elements = (0..<array.count).map { position in
                layered(array[position], file: file, line: array.locations[position].line)
            }
            return .array(elements, .file(path: file, line: array.location.line))
        default:
            return .scalar(value, .file(path: file, line: line))
        }
    }

}
