import DriftCore
import TOML

/// One thing `validate` or `consistency` has to say about a configuration: what is wrong,
/// where (key path and file:line:column), and what the operator should do about it.
package struct Finding: Sendable, Equatable {
    /// How bad a finding is. Only errors make a command exit 1.
    package enum Level: String, Sendable, Comparable {
        /// kms-server refuses the configuration: when parsed, by validation, or by failing at
        /// start-up (`stage` says which). With `--env`, also a breach of the environment's policy.
        case error
        /// kms-server starts, but something will go wrong or is suspicious; the message says what
        /// will happen. `--strict` turns warnings into errors.
        case warning
        /// Information only (for example: this file is another tool's config).
        case note

        private var rank: Int {
            switch self {
            case .error: return 0
            case .warning: return 1
            case .note: return 2
            }
        }

        package static func < (lhs: Level, rhs: Level) -> Bool { lhs.rank < rhs.rank }
    }

    package let level: Level
    /// The key the finding is about; for a missing key, the path it should have.
    package let path: KeyPath
    /// The file as the operator named it.
    package let file: String
    /// The key or value it is about; for a missing key, its table's header.
    package let location: SourceLocation
    /// What is wrong, in one sentence.
    package let message: String
    /// What to do, in one sentence.
    package let fix: String
    /// For an error about kms-server's own checks, where kms-server refuses the configuration;
    /// nil for warnings, notes and policy findings.
    package let stage: RefusalStage?
    /// The class of finding, for machines (a SARIF rule, a GitHub annotation title): set by the
    /// checks that have one (`certificate-subject`, `certificate-expired`, …); others are classed
    /// by their stage or level (see `ruleID`).
    package let rule: String?

    package init(
        _ level: Level, path: KeyPath, file: String, location: SourceLocation, message: String, fix: String,
        stage: RefusalStage? = nil, rule: String? = nil
    ) {
        self.level = level
        self.path = path
        self.file = file
        self.location = location
        self.message = message
        self.fix = fix
        self.stage = stage
        self.rule = rule
    }

    /// The finding's class: its `rule`, else its stage (`refused-when-parsed`,
    /// `refused-by-validation`, `fails-at-start-up`, …), else its level (`warning`, `note`).
    package var ruleID: String {
        if let rule { return rule }
        switch stage {
        case .parsing: return "refused-when-parsed"
        case .validation: return "refused-by-validation"
        case .startUp: return "fails-at-start-up"
        case .handshake: return "handshake-fails"
        case .degraded: return "degraded-start"
        case nil: return level.rawValue
        }
    }

    /// An error kms-server itself raises: the message starts with the stage ("refused when parsed:
    /// …", "refused by validation: …", "fails at start-up: …").
    package static func refused(
        _ stage: RefusalStage, path: KeyPath, file: String, location: SourceLocation, _ what: String,
        fix: String, rule: String? = nil
    ) -> Finding {
        let message: String
        switch stage {
        case .parsing, .validation, .handshake, .degraded: message = "\(stage.phrase): \(what)"
        case .startUp: message = what.isEmpty ? stage.phrase : "\(stage.phrase); \(what)"
        }
        return Finding(
            .error, path: path, file: file, location: location, message: message, fix: fix, stage: stage,
            rule: rule)
    }

    /// The same finding as an error, for `--strict`: CI gates that fail on warnings too.
    package func promotedToError() -> Finding {
        guard level == .warning else { return self }
        return Finding(
            .error, path: path, file: file, location: location, message: message, fix: fix, stage: stage,
            rule: rule)
    }

    /// `file:line:column`, as editors and compilers print it.
    package var position: String { "\(file):\(location.line):\(location.column)" }
}

/// Findings are reported in file order, so an operator reads them top to bottom.
extension Array where Element == Finding {
    package func sortedByPosition() -> [Finding] {
        sorted { ($0.file, $0.location, $0.path.description) < ($1.file, $1.location, $1.path.description) }
    }

    package var errorCount: Int { filter { $0.level == .error }.count }
    package var warningCount: Int { filter { $0.level == .warning }.count }
}
