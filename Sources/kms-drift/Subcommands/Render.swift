import ArgumentParser
import DriftOperations
import EffectiveConfig
import KMSValidation

extension KMSDrift {
    /// `kms-drift render TEMPLATE`: the Helm chart's envsubst step, without its silent empty strings.
    struct Render: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "render",
            abstract: "Render a kms-server config template ($VAR, ${VAR}) and check it before writing.",
            discussion: """
                Substitutes $VAR and ${VAR} as envsubst does, from --env-file files and, with --inherit-env, kms-drift's \
                own environment. An unset variable is an error naming it and its line (envsubst would write an \
                empty string). The result must parse and pass validate's errors before it is written, atomically \
                and with mode 0600, to --output (or printed). Exit status: 0 rendered, 1 validation errors, 2 error.
                """)

        @Argument(help: "The template (a kms-server.toml with ${VAR} references).", completion: .file())
        var template: String

        @Option(
            name: .customLong("env-file"),
            help: ArgumentHelp("A KEY=VALUE env file (repeatable, later wins).", valueName: "file"),
            completion: .file())
        var envFiles: [String] = []

        @Flag(
            name: .customLong("inherit-env"), help: "Use kms-drift's own environment too (env files win).")
        var inheritEnvironment = false

        /// The old spelling of `--inherit-env`, kept hidden for one release.
        @Flag(name: .customLong("env"), help: .hidden)
        var legacyInheritEnvironment = false

        @Option(
            name: [.short, .long], help: "Write the result here (atomically, mode 0600) instead of stdout.",
            completion: .file())
        var output: String?

        func run() throws {
            var render = TemplateRender(
                template: template,
                sources: EffectiveSources(
                    envFiles: envFiles,
                    inheritsEnvironment: inheritEnvironment
                        || RenamedFlag.inheritEnvironment.used(legacyInheritEnvironment)))
            render.output = output
            let result = try render.run()
            if let failure = result.failure(template: template) {
                Terminal.writeError(ValidationReportRenderer().text([result.validation]))
                Diagnostics.report(failure)
            } else if output == nil {
                Terminal.writeOutput(result.rendering.text)
            }
            try Diagnostics.exit(with: result.exitStatus)
        }
    }
}
