import ArgumentParser
import DriftCore

/// The output format of reports.
enum ReportFormat: String, ExpressibleByArgument, CaseIterable {
    case text
    case json
}

/// When to colour text output.
enum ColorChoice: String, ExpressibleByArgument, CaseIterable {
    case auto
    case always
    case never
}

/// Options shared by every command that prints a drift report.
struct ReportOptions: ParsableArguments {
    @Option(
        name: .long,
        help: "Output format: text for people, json for machines, github (workflow commands), sarif (2.1.0).")
    var format: VerdictFormat = .text

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Drop differences under key paths matching PATTERN before counting (repeatable).",
            discussion: "A glob over key paths: telemetry.*, threshold.peers[*].address, **.password.",
            valueName: "pattern"),
        transform: { try KeyPathPattern($0) })
    var ignore: [KeyPathPattern] = []

    @Flag(name: .long, help: "Show secret values in clear instead of their keyed fingerprint (hmac:…).")
    var showSecrets = false

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Fingerprint secrets with the key in this file (at least 16 bytes), so runs can be compared.",
            discussion:
                "Without it, check uses a key made for the run and commands on a store use the store's key.",
            valueName: "file"), completion: .file())
    var secretKeyFile: String?

    @Option(
        name: .long, help: "Colour text output: auto (on a terminal, unless NO_COLOR is set), always, never.")
    var color: ColorChoice = .auto

    /// The key secrets are fingerprinted with: `--secret-key-file`, else the store's (commands on a
    /// store), else one made for this run.
    func fingerprintKey(store: FingerprintKey? = nil) throws -> FingerprintKey {
        if let secretKeyFile { return try FingerprintKey.load(from: secretKeyFile) }
        return store ?? .perRun
    }

    var useColor: Bool {
        switch color {
        case .always: return true
        case .never: return false
        case .auto: return Terminal.colorEnabled()
        }
    }

    /// The report as the chosen format, secrets fingerprinted with `key`.
    func render(_ report: DriftReport, key: FingerprintKey) -> String {
        let formatter = ValueFormatter(secrets: SecretPolicy(showSecrets: showSecrets, key: key))
        switch format {
        case .text: return TextReportRenderer(formatter: formatter, useColor: useColor).render(report)
        case .json: return JSONReportRenderer(formatter: formatter).render(report)
        case .github, .sarif: return format.render(DriftAnnotations(formatter: formatter).annotations(report))
        }
    }
}
