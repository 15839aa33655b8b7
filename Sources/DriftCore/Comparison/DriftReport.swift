/// The outcome of comparing a reference with the current state: per file, what changed.
package struct DriftReport: Sendable {
    /// What the reference was (a file, a directory, a snapshot), as shown to the operator.
    package let reference: String
    /// What the current state was.
    package let current: String
    /// Files that differ, in path order. Unchanged files are not listed.
    package let files: [FileDrift]

    package init(reference: String, current: String, files: [FileDrift]) {
        self.reference = reference
        self.current = current
        self.files = files
    }

    /// True when nothing differs (after `--ignore`).
    package var isClean: Bool { files.allSatisfy { $0.changeCount == 0 } }

    /// Differences counted the way the summary line counts them: each key-level difference
    /// once, and each file-level change (added, removed, other content) once.
    package var changeCount: Int { files.reduce(0) { $0 + $1.changeCount } }

    /// The number of changes of each severity.
    package var countsBySeverity: [Severity: Int] {
        var counts: [Severity: Int] = [:]
        for file in files {
            for severity in file.severities { counts[severity, default: 0] += 1 }
        }
        return counts
    }

    /// The most severe change, or `nil` when clean.
    package var maximumSeverity: Severity? {
        files.flatMap(\.severities).max()
    }

    /// The key paths of the most severe changes, for a log line or a hook.
    package func mostSevereKeyPaths(limit: Int = 5) -> [String] {
        guard let top = maximumSeverity else { return [] }
        var paths: [String] = []
        for file in files {
            if file.status != .changed, file.fileSeverity == top {
                paths.append(file.path)
            }
            for difference in file.differences where difference.severity == top {
                paths.append(
                    file.path.isEmpty ? difference.path.description : "\(file.path):\(difference.path)")
            }
        }
        return Array(paths.prefix(limit))
    }
}

/// How one file differs between the reference and the current state.
package struct FileDrift: Sendable {
    package enum Status: String, Sendable {
        /// A TOML file whose meaning changed: see `differences`.
        case changed
        /// Present only in the current state.
        case added
        /// Present only in the reference.
        case removed
        /// A file that is not TOML (or a symlink) whose bytes or target changed.
        case contentChanged = "content-changed"
        /// The same name is another kind of thing (a file became a symlink or a directory).
        case kindChanged = "kind-changed"
        /// The same content with other permission bits (`chmod 644 key.pem`); seen between
        /// snapshots, which record modes.
        case modeChanged = "mode-changed"
    }

    /// Path relative to the compared directories; empty when two single files were compared.
    package let path: String
    package let status: Status
    /// Key-level differences for a changed TOML file; empty otherwise.
    package let differences: [Difference]
    /// The severity of a file-level change (everything but `.changed`).
    package let fileSeverity: Severity
    /// For file-level changes: a short description of each side (a content fingerprint,
    /// a link target, a kind), so the operator sees what changed without the bytes.
    package let referenceSummary: String?
    package let currentSummary: String?

    package init(
        path: String, status: Status, differences: [Difference] = [], fileSeverity: Severity = .warning,
        referenceSummary: String? = nil, currentSummary: String? = nil
    ) {
        self.path = path
        self.status = status
        self.differences = differences
        self.fileSeverity = fileSeverity
        self.referenceSummary = referenceSummary
        self.currentSummary = currentSummary
    }

    var changeCount: Int { status == .changed ? differences.count : 1 }

    var severities: [Severity] {
        status == .changed ? differences.map(\.severity) : [fileSeverity]
    }

    /// The most severe change in this file.
    package var maximumSeverity: Severity? { severities.max() }
}
