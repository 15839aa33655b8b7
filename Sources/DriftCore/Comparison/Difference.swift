import TOML

/// One change of meaning between a reference configuration and the current one.
package struct Difference: Sendable {
    package enum Kind: String, Sendable {
        /// The key exists only in the current file.
        case added
        /// The key exists only in the reference file.
        case removed
        /// Same key and type, another value.
        case changed
        /// Same key, another TOML type (`50001` → `"50001"`).
        case typeChanged = "type-changed"
    }

    package let kind: Kind
    package let path: KeyPath
    /// The reference value; `nil` when added.
    package let oldValue: TOMLValue?
    /// The current value; `nil` when removed.
    package let newValue: TOMLValue?
    /// Where the value is written in the reference file.
    package let oldLocation: SourceLocation?
    /// Where the value is written in the current file.
    package let newLocation: SourceLocation?
    package let severity: Severity
    /// Where the current value came from when the current side is an effective configuration
    /// (`set by env \`KMS_CORE__THRESHOLD__MY_ID\``, `by /etc/config/kms_core.toml:3`); reports
    /// show it in place of the current file's line.
    package var origin: String? = nil

    package init(
        kind: Kind, path: KeyPath, oldValue: TOMLValue?, newValue: TOMLValue?,
        oldLocation: SourceLocation?, newLocation: SourceLocation?, severity: Severity
    ) {
        self.kind = kind
        self.path = path
        self.oldValue = oldValue
        self.newValue = newValue
        self.oldLocation = oldLocation
        self.newLocation = newLocation
        self.severity = severity
    }
}
