import DriftConfig
import DriftCore
import FileSystem
import SnapshotStore

extension DriftConfiguration {
    /// Bumped when a change to kms-drift changes what a comparison finds for the same inputs (a new
    /// severity rule, say), so that comparisons stored by an older version are computed again.
    static let comparisonRulesVersion = 1

    /// A short text that changes whenever a comparison with the reference could give another
    /// answer for the same snapshot: the baseline moved, the reference directory changed on disk
    /// (any file's size, times, inode or mode, a file added or removed), the `[compare]` settings
    /// or the `[watch]` filter changed. A stored comparison is valid while this is unchanged.
    ///
    /// For a reference directory this costs one `lstat` walk of it (no file is read).
    package func referenceIdentity(in store: SnapshotStore) throws -> String {
        var text = "rules \(Self.comparisonRulesVersion)\n"
        switch reference {
        case .baseline:
            text += "baseline \(try store.resolve(.baseline).rawValue)\n"
        case .directory(let path):
            text +=
                "directory \(path)\n" + (try Self.metadataFingerprint(of: path, filter: watchFilter)) + "\n"
        }
        text += "toml \(tomlVersion == .v1_0 ? "1.0" : "1.1")\n"
        text += "ignore " + ignore.map(\.description).joined(separator: "\u{1}") + "\n"
        text += "include " + watchFilter.include.map(\.description).joined(separator: "\u{1}") + "\n"
        text += "exclude " + watchFilter.exclude.map(\.description).joined(separator: "\u{1}") + "\n"
        return SHA256Hex.of(text, digits: 32)
    }

    /// The SHA-256 of every admitted entry's path and metadata under `root`, in walk order.
    static func metadataFingerprint(of root: String, filter: PathFilter) throws -> String {
        var text = ""
        func add(_ path: String, _ kind: String, _ status: String?) {
            text += path + "\u{1}" + kind
            if let status { text += "\u{1}" + status }
            text += "\n"
        }
        do {
            try DirectoryWalker(root: root, filter: filter).walk { entry in
                switch entry {
                case .directory(let path, let status): add(path, "d", FileStatusText.changeIdentity(status))
                case .regular(let path, let status): add(path, "f", FileStatusText.changeIdentity(status))
                case .symlink(let path, let status): add(path, "l", FileStatusText.changeIdentity(status))
                case .special(let path, let type): add(path, "s " + type, nil)
                case .failed(let path, let status, let code):
                    add(path, "e \(code)", status.map(FileStatusText.changeIdentity))
                }
            }
        } catch let unavailable as DirectoryWalker.RootUnavailable {
            throw DriftCoreError.unreadable(path: unavailable.path, reason: unavailable.reason)
        } catch let refused as DirectoryWalker.RootRefused {
            throw DriftCoreError.unreadable(path: refused.path, reason: refused.reason)
        }
        return SHA256Hex.of(text)
    }

    /// What `snapshot` is against the reference: the comparison stored when it was taken when it is
    /// still valid (`identity` unchanged), else a new comparison, which is stored for next time.
    ///
    /// `stored` is ``SnapshotStore/storedComparisons()`` read once for a whole listing. Storing is
    /// best effort: a read-only store still gets a correct answer, computed each time.
    package func comparisonWithReference(
        of snapshot: SnapshotID, in store: SnapshotStore, identity: String,
        stored: [SnapshotID: StoredComparison]
    ) throws -> StoredComparison {
        if let known = stored[snapshot], known.reference == identity { return known }
        let comparison = StoredComparison(
            reference: identity, report: try compareWithReference(snapshot, in: store))
        try? store.recordComparison(comparison, of: snapshot)
        return comparison
    }

    /// Compares `snapshot` with the reference, as ``compareWithReference(_:in:ignoring:)``, and
    /// stores what it found so that `list` need not compare it again: what a cycle calls.
    ///
    /// A cycle that finds the same state as the last one (the same snapshot, confirmed unchanged)
    /// against the same reference with the same settings gets the report kept by that cycle: the
    /// same answer, without parsing every changed file again. Any doubt (another snapshot, a moved
    /// baseline, a changed setting, a report that does not decode) compares in full.
    package func compareWithReferenceAndRecord(_ snapshot: SnapshotID, in store: SnapshotStore) throws
        -> DriftReport
    {
        // The identity is taken before comparing: if the reference changes meanwhile, the stored row
        // names the older state and the next `list` computes it again, never the other way round.
        let identity = try referenceIdentity(in: store)
        let key = reportKey(identity: identity)
        if let kept = try? store.keptReport(of: snapshot, key: key), let report = ReportEncoding.decode(kept)
        {
            return report
        }
        let report = try compareWithReference(snapshot, in: store)
        // Not keeping it costs `list` one comparison later, nothing else: the cycle goes on, and a
        // database that cannot be written fails the cycle's next write, which reports it.
        try? store.recordComparison(StoredComparison(reference: identity, report: report), of: snapshot)
        try? store.keepReport(ReportEncoding.encode(report), of: snapshot, key: key)
        return report
    }

    /// What a kept report must have been computed with to be reused: the reference's identity,
    /// and what else shapes the report's text (the watched directory it names, the `[effective]`
    /// files left out of the comparison), in the encoding's format.
    func reportKey(identity: String) -> String {
        let parts = [
            "report \(ReportEncoding.formatVersion)", identity, "watched " + watchedDirectory,
            "config-file " + (effective?.configFile ?? "-"),
            "workdir " + (effective?.workingDirectory ?? "-"),
            "reference-file " + (effective?.referenceFile ?? "-"),
        ]
        return SHA256Hex.of(parts.joined(separator: "\n"), digits: 32)
    }
}
