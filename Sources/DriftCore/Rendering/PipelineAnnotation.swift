/// One finding or difference as a CI system shows it beside a line: what `--format github` and
/// `--format sarif` write, whatever the command (`validate`'s findings, `check`'s differences).
public struct PipelineAnnotation: Sendable, Equatable {
    /// SARIF's levels; GitHub calls `note` `notice`.
    public enum Level: String, Sendable {
        case error
        case warning
        case note
    }

    public let level: Level
    /// The finding class (one SARIF rule each): `certificate-expired`, `drift-critical`, …
    public let ruleID: String
    /// What the class means, in one sentence (the SARIF rule's description).
    public let ruleDescription: String
    /// The file as the operator named it (relative paths stay relative, as CI wants).
    public let file: String
    /// 1-based; nil when the annotation is about the whole file.
    public let line: Int?
    public let column: Int?
    /// A short title (the key path).
    public let title: String
    public let message: String

    public init(
        level: Level, ruleID: String, ruleDescription: String, file: String, line: Int?, column: Int?,
        title: String, message: String
    ) {
        self.level = level
        self.ruleID = ruleID
        self.ruleDescription = ruleDescription
        self.file = file
        self.line = line.flatMap { $0 >= 1 ? $0 : nil }
        self.column = self.line == nil ? nil : column.flatMap { $0 >= 1 ? $0 : nil }
        self.title = title
        self.message = message
    }
}
