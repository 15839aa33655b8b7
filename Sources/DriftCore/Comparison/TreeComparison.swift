import FileSystem
import TOML

/// Compares two configuration trees, or two single files, into a `DriftReport`:
/// TOML files by meaning, other files by content, links by target.
package struct TreeComparison: Sendable {
    package let diff: ConfigDiff
    package let tomlVersion: TOMLParser.Version
    /// Files given by path, and files inside directories given by path, above this size are an
    /// error, never read (see `InputFile`).
    package let maximumFileSize: Int64
    /// Non-TOML files are summarised by a keyed fingerprint of their SHA-256 (`hmac:…`), never the
    /// plain hash: a file holding a weak password must not be guessable from a report or a hook.
    package let contentKey: FingerprintKey

    package init(
        diff: ConfigDiff = ConfigDiff(),
        tomlVersion: TOMLParser.Version = .v1_1, maximumFileSize: Int64 = InputFile.defaultMaximumSize,
        contentKey: FingerprintKey = .perRun
    ) {
        self.diff = diff
        self.tomlVersion = tomlVersion
        self.maximumFileSize = maximumFileSize
        self.contentKey = contentKey
    }

    /// True for files compared by meaning.
    package static func isTOML(_ relativePath: String) -> Bool {
        relativePath.hasSuffix(".toml")
    }

    /// What `compare(paths:_:)` found, with the parsed files when two files were compared, so
    /// a short-lived caller can keep them alive to exit without freeing them.
    package struct PathComparison: Sendable {
        package let report: DriftReport
        package let parsedFiles: [ConfigFile]
    }

    /// Compares two paths as an operator gives them: two TOML files by meaning, or two
    /// directories file by file (links on the command line are followed; inside trees, not).
    /// A file against a directory is an error.
    package func compare(paths reference: String, _ current: String) throws(DriftCoreError) -> PathComparison
    {
        let referenceKind = try PathKind.of(reference)
        let currentKind = try PathKind.of(current)
        switch (referenceKind, currentKind) {
        case (.file, .file):
            let (old, new) = try ConfigFile.loadPair(
                reference, current, version: tomlVersion, maximumSize: maximumFileSize)
            return PathComparison(report: compare(old, new), parsedFiles: [old, new])
        case (.directory, .directory):
            let report = try compare(
                reference: DirectoryTree(root: reference, maximumFileSize: maximumFileSize),
                current: DirectoryTree(root: current, maximumFileSize: maximumFileSize))
            return PathComparison(report: report, parsedFiles: [])
        default:
            throw .kindMismatch(
                reference: reference, current: current, referenceIsDirectory: referenceKind == .directory)
        }
    }

    /// Compares two TOML files given by path.
    package func compareFiles(reference: String, current: String) throws(DriftCoreError) -> DriftReport {
        let (old, new) = try ConfigFile.loadPair(
            reference, current, version: tomlVersion, maximumSize: maximumFileSize)
        return compare(old, new)
    }

    /// Compares two parsed files. The caller keeps the parsed trees, so a short-lived process can
    /// exit without spending time freeing them.
    package func compare(_ reference: ConfigFile, _ current: ConfigFile) -> DriftReport {
        let differences = diff.differences(from: reference.root, to: current.root)
        let files =
            differences.isEmpty ? [] : [FileDrift(path: "", status: .changed, differences: differences)]
        return DriftReport(reference: reference.path, current: current.path, files: files)
    }

    /// Compares two trees file by file. Changed TOML files are parsed and compared on every core,
    /// a bounded batch at a time; the report lists them in path order all the same.
    package func compare(reference: some ConfigTree, current: some ConfigTree) throws(DriftCoreError)
        -> DriftReport
    {
        let oldEntries = try reference.entries()
        let newEntries = try current.entries()
        // In path order; `nil` for a file whose meaning is being compared (filled in by `resolve`)
        // or that turned out unchanged.
        var files: [FileDrift?] = []
        var pending: [MeaningComparison] = []
        var pendingBytes = 0
        func resolvePending() throws(DriftCoreError) {
            for (comparison, drift) in zip(pending, try resolve(pending)) { files[comparison.slot] = drift }
            pending.removeAll(keepingCapacity: true)
            pendingBytes = 0
        }
        do throws(DriftCoreError) {
            for path in Set(oldEntries.keys).union(newEntries.keys).sorted() {
                // Computed only when something differs: most files of a tree are unchanged.
                var severity: Severity { diff.severityRules.severity(ofFileAt: path) }
                switch (oldEntries[path], newEntries[path]) {
                case (let old?, nil):
                    files.append(
                        FileDrift(
                            path: path, status: .removed, fileSeverity: severity,
                            referenceSummary: try summary(of: old, at: path, in: reference)))
                case (nil, let new?):
                    files.append(
                        FileDrift(
                            path: path, status: .added, fileSeverity: severity,
                            currentSummary: try summary(of: new, at: path, in: current)))
                case (let old?, let new?):
                    switch try compareEntry(path, old, new, reference, current, severity) {
                    case .decided(let drift):
                        if let drift { files.append(drift) }
                    case .byMeaning(var comparison):
                        comparison.slot = files.count
                        files.append(nil)
                        pendingBytes += comparison.referenceBytes.count + comparison.currentBytes.count
                        pending.append(comparison)
                        if pending.count >= Self.batchFiles || pendingBytes >= Self.batchBytes {
                            try resolvePending()
                        }
                    }
                case (nil, nil):
                    break
                }
            }
        } catch {
            // A file read or listed later in path order must not hide an earlier file's error.
            try resolvePending()
            throw error
        }
        try resolvePending()
        return DriftReport(
            reference: reference.displayName, current: current.displayName, files: files.compactMap { $0 })
    }

    /// Changed TOML files held for comparison at most, in number and in bytes: memory stays bounded
    /// whatever the number of changed files.
    private static let batchFiles = 256
    private static let batchBytes = 32 << 20

    /// What an entry's comparison needs: nothing more (`decided`), or the meanings of two TOML
    /// files, compared on a worker (`byMeaning`).
    private enum EntryOutcome {
        case decided(FileDrift?)
        case byMeaning(MeaningComparison)
    }

    /// Two versions of a TOML file with different bytes, read from their trees, to parse and compare.
    private struct MeaningComparison: Sendable {
        let path: String
        let old: TreeEntry
        let new: TreeEntry
        let severity: Severity
        let referenceBytes: [UInt8]
        let currentBytes: [UInt8]
        let referenceDisplayPath: String
        let currentDisplayPath: String
        /// Where the result goes in the report's files.
        var slot = 0
    }

    /// The drift of each comparison, in order, computed on up to one thread per processor. The
    /// error of the first failing file (in path order) is the one thrown, as in a sequential run.
    private func resolve(_ comparisons: [MeaningComparison]) throws(DriftCoreError) -> [FileDrift?] {
        let results = ParallelMap.map(comparisons, threads: DirectoryWalker.onlineProcessors) {
            comparison -> Result<FileDrift?, DriftCoreError> in
            do throws(DriftCoreError) {
                return .success(try meaningDrift(comparison))
            } catch {
                return .failure(error)
            }
        }
        var drifts: [FileDrift?] = []
        for result in results { drifts.append(try result.get()) }
        return drifts
    }

    /// Parses both versions and compares their meanings.
    private func meaningDrift(_ comparison: MeaningComparison) throws(DriftCoreError) -> FileDrift? {
        let oldFile = try ConfigFile.parse(
            comparison.referenceBytes, path: comparison.referenceDisplayPath, version: tomlVersion)
        let newFile = try ConfigFile.parse(
            comparison.currentBytes, path: comparison.currentDisplayPath, version: tomlVersion)
        let differences = diff.differences(from: oldFile.root, to: newFile.root)
        return differences.isEmpty
            ? modeChange(comparison.path, comparison.old, comparison.new, comparison.severity)
            : FileDrift(path: comparison.path, status: .changed, differences: differences)
    }

    private func compareEntry(
        _ path: String, _ old: TreeEntry, _ new: TreeEntry,
        _ reference: some ConfigTree, _ current: some ConfigTree, _ severity: @autoclosure () -> Severity
    ) throws(DriftCoreError) -> EntryOutcome {
        guard old != new || old.contentHash == nil else { return .decided(nil) }
        let severity = severity()
        guard old.kind == new.kind else {
            return .decided(
                FileDrift(
                    path: path, status: .kindChanged, fileSeverity: severity,
                    referenceSummary: try summary(of: old, at: path, in: reference),
                    currentSummary: try summary(of: new, at: path, in: current)))
        }
        switch old.kind {
        case .symlink, .unreadable, .special:
            guard old.note != new.note else { return .decided(nil) }
            return .decided(
                FileDrift(
                    path: path, status: .contentChanged, fileSeverity: severity,
                    referenceSummary: try summary(of: old, at: path, in: reference),
                    currentSummary: try summary(of: new, at: path, in: current)))
        case .file:
            if let oldHash = old.contentHash, let newHash = new.contentHash {
                if oldHash == newHash { return .decided(modeChange(path, old, new, severity)) }
                if !Self.isTOML(path) {
                    // Both sides are known by hash (snapshots): no need to read, or to have stored, the bytes.
                    return .decided(
                        FileDrift(
                            path: path, status: .contentChanged, fileSeverity: severity,
                            referenceSummary: hashSummary(oldHash, size: old.size),
                            currentSummary: hashSummary(newHash, size: new.size)))
                }
            }
            let oldBytes = try reference.contents(of: path)
            let newBytes = try current.contents(of: path)
            if oldBytes == newBytes { return .decided(modeChange(path, old, new, severity)) }
            if Self.isTOML(path) {
                return .byMeaning(
                    MeaningComparison(
                        path: path, old: old, new: new, severity: severity, referenceBytes: oldBytes,
                        currentBytes: newBytes, referenceDisplayPath: reference.displayPath(of: path),
                        currentDisplayPath: current.displayPath(of: path)))
            }
            return .decided(
                FileDrift(
                    path: path, status: .contentChanged, fileSeverity: severity,
                    referenceSummary: contentSummary(oldBytes), currentSummary: contentSummary(newBytes)))
        }
    }

    /// A change of permission bits alone, when both sides record them. A key file that became
    /// world-readable is as severe as a changed key (file severity rules).
    private func modeChange(_ path: String, _ old: TreeEntry, _ new: TreeEntry, _ severity: Severity)
        -> FileDrift?
    {
        guard let oldMode = old.mode, let newMode = new.mode, oldMode != newMode else { return nil }
        return FileDrift(
            path: path, status: .modeChanged, fileSeverity: severity,
            referenceSummary: "mode " + Self.octal(oldMode), currentSummary: "mode " + Self.octal(newMode))
    }

    static func octal(_ mode: UInt32) -> String {
        let digits = String(mode, radix: 8)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }

    private func summary(of entry: TreeEntry, at path: String, in tree: some ConfigTree)
        throws(DriftCoreError)
        -> String
    {
        switch entry.kind {
        case .file:
            if let hash = entry.contentHash { return hashSummary(hash, size: entry.size) }
            return contentSummary(try tree.contents(of: path))
        case .symlink: return "symlink to \(entry.note ?? "?")"
        case .special: return "special file"
        case .unreadable: return "unreadable: \(entry.note ?? "unknown reason")"
        }
    }

    /// `hmac:1a2b3c4d5e6f, 1234 bytes`: identifies content without showing it, and without
    /// letting anyone without the key test a guess of it.
    func contentSummary(_ bytes: [UInt8]) -> String {
        hashSummary(SHA256Hex.of(bytes), size: Int64(bytes.count))
    }

    /// The same summary from a known SHA-256 (all 64 hex digits) and size, without the bytes.
    func hashSummary(_ hexHash: String, size: Int64?) -> String {
        contentKey.fingerprint(of: hexHash) + (size.map { ", \($0) bytes" } ?? "")
    }
}
