import DriftConfig
import DriftCore
import SnapshotStore

extension DriftConfiguration {
    /// The comparison this configuration asks for: its `[compare] ignore` patterns (plus
    /// `extraIgnore`, e.g. `--ignore` flags) and its TOML version.
    /// Content summaries are fingerprinted with `key` (the store's, so they read the same in every run).
    package func comparison(ignoring extraIgnore: [KeyPathPattern] = [], key: FingerprintKey = .perRun)
        -> TreeComparison
    {
        TreeComparison(
            diff: ConfigDiff(ignoring: ignore + extraIgnore), tomlVersion: tomlVersion, contentKey: key)
    }

    /// `snapshot` against the configured reference: the baseline, or the reference directory seen
    /// through the same include/exclude filter as the snapshot.
    ///
    /// The computed files `[effective]` records (`@effective/…`, `@live/…`) are left out: they
    /// have no counterpart of that name in a reference directory, and the cycle compares them by
    /// meaning with the reference's `reference_file` itself (`EffectiveComparison`).
    package func compareWithReference(
        _ snapshot: SnapshotID, in store: SnapshotStore, ignoring extraIgnore: [KeyPathPattern] = []
    ) throws -> DriftReport {
        let report = try compareFilesWithReference(snapshot, in: store, ignoring: extraIgnore)
        let leftOut = report.files.filter { isLeftOutOfFileComparison($0.path) }
        guard !leftOut.isEmpty else { return report }
        return DriftReport(
            reference: report.reference, current: report.current,
            files: report.files.filter { !isLeftOutOfFileComparison($0.path) })
    }

    /// The computed files, and, against a reference directory, the `[effective] config_file` when
    /// it lies outside the watched directory: its copy (`@layers/…`) has no counterpart of that
    /// name in the reference directory, and the reference's `reference_file` none in the watched
    /// directory; their meanings are compared with each other through `@effective/`. Any other
    /// layer outside the watched directory (a shadow `/etc/config`) is still compared by name, so
    /// one appearing is reported.
    private func isLeftOutOfFileComparison(_ path: String) -> Bool {
        if Self.isComputedByCycle(path) { return true }
        guard case .directory = reference, let layer = configFileLayerPath, let effective else {
            return false
        }
        return path == layer || path == effective.referenceFile
    }

    /// `@layers/<config_file>` when `[effective] config_file` is outside the watched directory.
    package var configFileLayerPath: String? {
        guard var configFile = effective?.configFile else { return nil }
        if !configFile.hasPrefix("/") {
            // kms-server resolves a relative --config-file in its working directory.
            guard let workingDirectory = effective?.workingDirectory else { return nil }
            configFile =
                (workingDirectory.hasSuffix("/") ? workingDirectory : workingDirectory + "/") + configFile
        }
        return EffectiveWatch.layerPath(of: configFile, watchedDirectory: watchedDirectory)
    }

    /// A virtual file the cycle compares by meaning itself.
    package static func isComputedByCycle(_ path: String) -> Bool {
        path.hasPrefix("@effective/") || path.hasPrefix("@live/")
    }

    private func compareFilesWithReference(
        _ snapshot: SnapshotID, in store: SnapshotStore, ignoring extraIgnore: [KeyPathPattern]
    ) throws -> DriftReport {
        let comparison = comparison(ignoring: extraIgnore, key: try store.secretFingerprintKey())
        switch reference {
        case .baseline:
            // Only files whose recorded state differs from the baseline's can differ in meaning:
            // the comparison loads those records and nothing else (none in a quiet cycle), in one
            // read transaction, so its cost grows with the number of changed files, not faster.
            let baseline = try store.resolve(.baseline)
            let (old, new) = try store.differingRecords(.id(baseline), .id(snapshot))
            return try comparison.compare(
                reference: SnapshotTree(store: store, id: baseline, records: old),
                current: SnapshotTree(store: store, id: snapshot, records: new, displayRoot: watchedDirectory)
            )
        case .directory(let path):
            return try comparison.compare(
                reference: DirectoryTree(root: path, filter: watchFilter),
                current: SnapshotTree(store: store, reference: .id(snapshot), displayRoot: watchedDirectory))
        }
    }

    /// `diff FROM [TO]`: two snapshots, or `from` against the configured reference when `to` is nil.
    package func compare(
        _ from: SnapshotReference, _ to: SnapshotReference?, in store: SnapshotStore,
        ignoring extraIgnore: [KeyPathPattern] = []
    ) throws -> DriftReport {
        guard let to else {
            return try compareWithReference(try store.resolve(from), in: store, ignoring: extraIgnore)
        }
        return try comparison(ignoring: extraIgnore, key: try store.secretFingerprintKey()).compare(
            reference: SnapshotTree(store: store, reference: from),
            current: SnapshotTree(store: store, reference: to))
    }
}

extension DriftConfiguration {
    /// `baseline set` means something only when the reference is the baseline: with a reference
    /// directory, a planned change is accepted by updating that directory.
    package func requireBaselineReference() throws(DriftConfigurationError) {
        guard case .directory(let path) = reference else { return }
        throw DriftConfigurationError(
            file: sourcePath ?? "the configuration",
            reason: .invalidValue(
                key: "reference.mode",
                reason:
                    "the reference is the directory \(path), not a baseline: `baseline set` would change "
                    + "nothing. Accept the change by updating \(path) (your GitOps repository)"))
    }
}
