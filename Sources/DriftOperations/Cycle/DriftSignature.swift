import DriftCore
import KMSValidation
import TOML

/// A short hash that stays the same while a drift stays the same, and changes when any
/// difference appears, disappears or takes another value: what "a new way" of drifting means.
enum DriftSignature {
    /// `key` is the store's: the signature must be the same in every process that reads the store.
    static func of(_ report: DriftReport, key: FingerprintKey) -> String {
        let formatter = ValueFormatter(secrets: SecretPolicy(key: key), maximumTextLength: Int.max)
        var text = ""
        for file in report.files {
            text += "F\u{1}\(file.path)\u{1}\(file.status.rawValue)\u{1}\(file.currentSummary ?? "")\n"
            for difference in file.differences {
                let new = difference.newValue.map { formatter.text($0, at: difference.path) } ?? ""
                text += "D\u{1}\(difference.kind.rawValue)\u{1}\(difference.path)\u{1}\(new)\n"
            }
        }
        return hash(text)
    }

    /// The same idea for validation errors: which rule fired where.
    static func of(findings: [Finding]) -> String {
        hash(findings.map { "\($0.path)\u{1}\($0.message)" }.joined(separator: "\n"))
    }

    private static func hash(_ text: String) -> String {
        SHA256Hex.of(text, digits: 24)
    }
}
