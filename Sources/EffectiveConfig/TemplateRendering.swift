import DriftCore
import TOML

/// `kms-drift render`: a template rendered with envsubst, then parsed, so a result that is not
/// TOML is refused before anything is written. Parse errors point at the template's lines.
package struct TemplateRendering: Sendable {
    package let text: String
    package let config: ConfigFile

    package static func render(template path: String, environment: EnvironmentVariables)
        throws(EffectiveConfigError) -> TemplateRendering
    {
        let bytes = try EffectiveConfigurationBuilder.read(path)
        let template = String(decoding: bytes, as: UTF8.self)
        let text = try Envsubst.render(template, file: path, environment: environment)
        do {
            let root = try TOMLParser(version: .v1_1).parse(Array(text.utf8), fileName: path)
            return TemplateRendering(text: text, config: ConfigFile(path: path, root: root))
        } catch {
            let lines = TemplateLines(template: template, environment: environment)
            let moved = TOMLParseError(
                fileName: path,
                location: SourceLocation(
                    line: lines.line(for: error.location.line), column: error.location.column),
                reason: error.reason)
            throw .invalidTOML(message: "\(moved.description) (after substituting the variables)")
        }
    }
}
