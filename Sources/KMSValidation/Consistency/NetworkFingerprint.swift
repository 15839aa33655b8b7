import DriftCore
import TOML

/// A one-line hash of a party's network-shared values (`SharedValues`), so thirteen
/// operators can confirm they agree by comparing one line each out of band.
///
/// Canonical serialisation (version 1), hashed with SHA-256:
/// ```
/// kms-drift network fingerprint v1\n
/// <key path>=<canonical value>\n      one line per shared value, in SharedValues order
/// ```
/// Canonical values: strings as JSON string literals (escapes `"` `\` and controls), integers
/// in decimal, floats in Swift's shortest round-trip form (`2.0`; `nan`, `inf`, `-inf`; `-0.0`
/// as `0.0`), `true`/`false`, date-times in RFC 3339, arrays as `[a,b]`, tables as `{k=v,…}`
/// with sorted keys. Peers appear by ascending `party_id`. The same meaning always gives the
/// same bytes, whatever the spelling, order or comments of the file.
package enum NetworkFingerprint {
    package static let header = "kms-drift network fingerprint v1\n"

    /// The text that is hashed; shown by tests and useful to debug a mismatch.
    package static func canonicalText(of root: TOMLTable) -> String {
        var text = header
        for shared in SharedValues.extract(from: root) {
            text += shared.path.description + "=" + canonical(shared.value) + "\n"
        }
        return text
    }

    /// `sha256:` and 64 hex digits.
    package static func fingerprint(of root: TOMLTable) -> String {
        "sha256:" + SHA256Hex.of(canonicalText(of: root))
    }

    package static func canonical(_ value: TOMLValue) -> String {
        switch value {
        case .string(let text): return JSONWriter.quoted(text)
        case .integer(let number): return String(number)
        case .float(let number):
            if number.isNaN { return "nan" }
            if number.isInfinite { return number < 0 ? "-inf" : "inf" }
            return number == 0 ? "0.0" : number.description
        case .boolean(let flag): return flag ? "true" : "false"
        case .dateTime(let moment): return moment.description
        case .array(let array):
            return "[" + (0..<array.count).map { canonical(array[$0]) }.joined(separator: ",") + "]"
        case .table(let table):
            let members = table.entries.sorted { $0.key < $1.key }.map {
                KeyPath.quotedIfNeeded($0.key) + "=" + canonical($0.value)
            }
            return "{" + members.joined(separator: ",") + "}"
        }
    }
}
