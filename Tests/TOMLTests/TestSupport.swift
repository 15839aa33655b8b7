import Foundation
import TOML
import TestSupport

/// The parts of the shared test data (`TestPaths.shared`) the TOML tests read.
enum SharedData {
    static let tomlTest = TestPaths.shared.appendingPathComponent("toml-test/tests")
    static let corpus = TestPaths.shared.appendingPathComponent("corpus/kms")

    static var isPresent: Bool { FileManager.default.fileExists(atPath: tomlTest.path) }

    static func bytes(_ url: URL) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: url))
    }

    /// The `.toml` files of the KMS corpus, sorted by name.
    static func corpusFiles() throws -> [URL] {
        try FileManager.default.contentsOfDirectory(at: corpus, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "toml" }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
    }
}

/// Compares a parsed TOML value with toml-test's tagged JSON (`{"type": …, "value": "…"}`).
/// Returns nil when they match, or a description of the first difference.
enum TaggedJSON {
    static func mismatch(expected: Any, actual: TOMLValue, path: String = "") -> String? {
        switch actual {
        case .table(let table):
            guard let object = expected as? [String: Any], !isScalar(object) else {
                return "\(path): expected \(expected), got a table"
            }
            if Set(object.keys) != Set(table.keys) {
                return "\(path): keys differ: expected \(object.keys.sorted()), got \(table.keys.sorted())"
            }
            for entry in table.entries {
                if let problem = mismatch(
                    expected: object[entry.key] as Any, actual: entry.value, path: path + "." + entry.key)
                {
                    return problem
                }
            }
            return nil
        case .array(let array):
            guard let list = expected as? [Any] else { return "\(path): expected \(expected), got an array" }
            guard list.count == array.count else {
                return "\(path): expected \(list.count) elements, got \(array.count)"
            }
            for (offset, element) in array.elements.enumerated() {
                if let problem = mismatch(expected: list[offset], actual: element, path: "\(path)[\(offset)]")
                {
                    return problem
                }
            }
            return nil
        default:
            guard let object = expected as? [String: Any], isScalar(object),
                let type = object["type"] as? String, let value = object["value"] as? String
            else { return "\(path): expected \(expected), got \(actual)" }
            guard type == actual.typeName else {
                return "\(path): expected type \(type), got \(actual.typeName)"
            }
            if scalarEqual(type: type, expected: value, actual: actual) { return nil }
            return "\(path): expected \(type) \(value), got \(actual)"
        }
    }

    private static func isScalar(_ object: [String: Any]) -> Bool {
        object.count == 2 && object["type"] is String && object["value"] is String
    }

    private static func scalarEqual(type: String, expected: String, actual: TOMLValue) -> Bool {
        switch actual {
        case .string(let text): return text == expected
        case .integer(let number): return Int64(expected) == number
        case .boolean(let flag): return expected == (flag ? "true" : "false")
        case .float(let number):
            let trimmed = expected.hasPrefix("+") ? String(expected.dropFirst()) : expected
            if trimmed.hasSuffix("nan") { return number.isNaN }
            guard let value = Double(trimmed) else { return false }
            return value == number
        case .dateTime(let dateTime):
            return normalizeDateTime(expected) == normalizeDateTime(dateTime.description)
        default: return false
        }
    }

    /// Loose RFC 3339 comparison as toml-test allows: `T`/space and `z`/`Z` are the same, a zero
    /// offset is `Z`, and fractional seconds are compared to the millisecond.
    static func normalizeDateTime(_ text: String) -> String {
        var result = text.uppercased().replacingOccurrences(of: " ", with: "T")
        result = result.replacingOccurrences(of: "+00:00", with: "Z").replacingOccurrences(
            of: "-00:00", with: "Z")
        var fixed = result
        if let dot = fixed.firstIndex(of: ".") {
            let afterDot = fixed.index(after: dot)
            let digitsEnd = fixed[afterDot...].firstIndex(where: { !$0.isNumber }) ?? fixed.endIndex
            var digits = String(fixed[afterDot..<digitsEnd])
            digits = String((digits + "000").prefix(3))
            let rest = String(fixed[digitsEnd...])
            fixed = String(fixed[..<dot]) + (digits == "000" ? "" : "." + digits) + rest
        }
        return fixed
    }

    /// Reads an expected-value file (tagged JSON) into Foundation objects.
    static func load(_ url: URL) throws -> Any {
        try JSONSerialization.jsonObject(with: Data(contentsOf: url), options: [.fragmentsAllowed])
    }
}
