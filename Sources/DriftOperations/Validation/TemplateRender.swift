import DriftCore
import EffectiveConfig
import FileSystem
import KMSValidation

/// `render TEMPLATE`: the Helm chart's envsubst step, refusing an unset variable, and a result
/// that does not parse or fails validation, before anything is written.
package struct TemplateRender: Sendable {
    package let template: String
    package let sources: EffectiveSources
    /// `--output`: written atomically, mode 0600; `nil` prints it.
    package var output: String? = nil

    package init(template: String, sources: EffectiveSources) {
        self.template = template
        self.sources = sources
    }

    package struct Result: Sendable {
        package let rendering: TemplateRendering
        package let validation: FileValidation
        /// True when the result was written to the output file.
        package let written: Bool

        /// 0 rendered, 1 validation errors (nothing written).
        package var exitStatus: ExitStatus { .findings(if: validation.findings.errorCount > 0) }

        /// The error that ends a run whose result failed validation; `nil` when it passed.
        package func failure(template: String) -> OperationError? {
            exitStatus == .findings
                ? OperationError("\(template) rendered, but not written: fix the errors above") : nil
        }
    }

    package func run() throws -> Result {
        let rendering = try TemplateRendering.render(
            template: template, environment: try sources.environment(process: nil))
        let validation = KMSConfigValidator().validate(rendering.config)
        guard validation.findings.errorCount == 0, let output else {
            return Result(rendering: rendering, validation: validation, written: false)
        }
        try AtomicFile.write(Array(rendering.text.utf8), to: output, mode: 0o600)
        return Result(rendering: rendering, validation: validation, written: true)
    }
}
