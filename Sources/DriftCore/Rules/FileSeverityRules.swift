/// Severity of file-level changes (a file added, removed, or a non-TOML file changed),
/// by file name. Key material and certificates are critical; anything else a warning.
public struct FileSeverityRules: Sendable {
    public let criticalNamePatterns: [String]

    public init(criticalNamePatterns: [String]) {
        self.criticalNamePatterns = criticalNamePatterns
    }

    public static let kms = FileSeverityRules(criticalNamePatterns: [
        "*.pem", "*.crt", "*.cert", "*.key", "*.p12", "*.pfx", "*.der", "*.jks", "*.toml",
    ])

    /// The severity of a file-level change to `relativePath`.
    public func severity(ofFileAt relativePath: String) -> Severity {
        let name = relativePath.split(separator: "/").last.map(String.init) ?? relativePath
        return criticalNamePatterns.contains { Glob.matches($0, name) } ? .critical : .warning
    }
}
