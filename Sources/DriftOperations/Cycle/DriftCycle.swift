import DriftConfig
import DriftCore
import FileSystem
import KMSValidation
import SnapshotStore
import TOML

/// One cycle of the daemon and of the one-shot mode: snapshot → compare with the reference →
/// rotate → decide which events to raise. Raising them (log, hooks) is the caller's job, so
/// the one-shot command and the daemon share this logic exactly.
package struct DriftCycle {
    package let configuration: DriftConfiguration
    /// Wall-clock seconds since the epoch: reminders compare it with the time an alert was
    /// stored, which may be from another process. Injectable so tests need not sleep.
    package let now: @Sendable () -> Int64
    /// What takes the snapshots, recorded in their metadata: the daemon or the one-shot.
    package let origin: SnapshotOrigin
    /// The operator's note for this cycle's snapshot (`snapshot --note`).
    package let note: String?

    package init(
        configuration: DriftConfiguration, origin: SnapshotOrigin = .snapshot, note: String? = nil,
        now: @escaping @Sendable () -> Int64 = wallClockSeconds
    ) {
        self.configuration = configuration
        self.origin = origin
        self.note = note
        self.now = now
    }

    /// Runs one cycle, opening the store when `store` is nil, and turns any failure into an `error`
    /// event: the one function the daemon and the one-shot `snapshot` both call. On failure `store`
    /// is reset, so the next cycle opens the database again (it may have been repaired meanwhile).
    package func run(reopening store: inout SnapshotStore?) -> CycleRun {
        var notices: [String] = []
        do {
            let opened: SnapshotStore
            if let store {
                opened = store
            } else {
                opened = try SnapshotStore(
                    path: configuration.databasePath, busyTimeout: configuration.busyTimeout)
                notices = opened.permissionNotices
            }
            store = opened
            return CycleRun(outcome: try run(on: opened), failure: nil, notices: notices)
        } catch {
            store = nil
            return CycleRun(
                outcome: nil, failure: "\(error)", notices: notices,
                failureIdentity: ProblemIdentity.of(error))
        }
    }

    /// Runs one cycle against `store`. Throws when the snapshot itself fails; a comparison that
    /// fails (invalid TOML in a watched file) is returned as an `error` event after the snapshot
    /// was kept, so the bytes that broke the comparison are in the history.
    package func run(on store: SnapshotStore) throws -> CycleOutcome {
        try configuration.checkPaths()
        let wasEmpty = try store.isEmpty()
        let observation = configuration.effective.map {
            EffectiveWatch(settings: $0, watchedDirectory: configuration.watchedDirectory).observe()
        }
        var options = try configuration.snapshotOptions(origin: origin, note: note)
        // `[watch] exclude` applies to the computed files too, by their `@…` path.
        let computed = ComputedFilesSource(
            files: observation?.virtualFiles ?? [], filter: configuration.watchFilter)
        if note != nil { options.onlyWhenChanged = false }  // a note is kept, so its snapshot is too
        let directory = DirectorySource(
            root: configuration.watchedDirectory, filter: configuration.watchFilter)
        let snapshot = try store.takeSnapshot(from: CombinedSource([directory, computed]), options: options)

        // Only the first snapshot of an empty store becomes the baseline by itself. A store that has
        // snapshots but lost its baseline (deleted, or gone with a removed -wal) must not accept
        // whatever state is there now as the reference: that would silently accept drift. The
        // comparison below then fails with `baselineMissing`, an `error` saying to run `baseline set`.
        var baselineCreated = false
        if case .baseline = configuration.reference, wasEmpty {
            try store.setBaseline(.id(snapshot.id), reason: "first snapshot of an empty store")
            baselineCreated = true
        }

        // Every problem of this cycle, in operator words: files kms-drift cannot read (it cannot
        // see their changes), a comparison or a validation that failed.
        var problems = snapshot.problems.compactMap(Self.blindSpot(of:)).map {
            CycleProblem(
                kind: .unreadable, identity: "unreadable|\($0.path)",
                message: "cannot read \(configuration.watchedDirectory)/\($0.path): \($0.reason); "
                    + "kms-drift cannot see changes to it (give it read access, see the README)")
        }
        if !configuration.watchFilter.include.isEmpty && snapshot.fileCount == 0 {
            let patterns = configuration.watchFilter.include.map(\.description).joined(separator: ", ")
            problems.append(
                CycleProblem(
                    kind: .watch, identity: "watch|include-matches-nothing",
                    message:
                        "[watch] include (\(patterns)) matches no file in \(configuration.watchedDirectory): "
                        + "kms-drift watches nothing; fix the patterns (see Globs in the README)"))
        }
        var events: [DriftEvent] = []
        var report: DriftReport? = nil
        var findings: [Finding] = []
        var pendingRestart: DriftReport?
        var certificates: [CertificateStatus] = []
        do {
            var compared = try configuration.compareWithReferenceAndRecord(snapshot.id, in: store)
            if let observation, let settings = configuration.effective {
                let comparison = EffectiveComparison(configuration: configuration, settings: settings)
                (compared, pendingRestart) = try comparison.augment(
                    compared, with: observation, reference: try comparison.reference(store: store))
            }
            report = compared
            events += try decideEvents(for: compared, snapshot: snapshot.id, store: store)
            if observation != nil {
                events += try decidePendingRestart(pendingRestart, snapshot: snapshot.id, store: store)
            }
        } catch {
            problems.append(CycleProblem(kind: .comparison, error: error))
        }
        problems += observation?.problems ?? []
        if let validated = configuration.validatedConfig {
            do {
                findings = try validate(validated, in: snapshot.id, store: store)
                events += try decideViolationEvents(for: findings, snapshot: snapshot.id, store: store)
                let expiry = try CertificateExpiryWatch(
                    watchedDirectory: configuration.watchedDirectory, now: now()
                )
                .check(
                    try validatedFile(validated, in: snapshot.id, store: store), snapshot: snapshot.id,
                    store: store)
                events += expiry.events
                certificates = expiry.certificates
            } catch {
                problems.append(CycleProblem(kind: .comparison, error: error))
            }
        }
        let fingerprint = try? observation?.effective.map {
            NetworkFingerprint.fingerprint(of: try $0.configFile().root)
        }
        let network = configuration.network.map {
            NetworkWatch(settings: $0, configuration: configuration, now: now())
                .run(effective: observation?.effective, snapshot: snapshot.id, store: store)
        }
        events += network?.events ?? []
        problems += network?.problems ?? []
        let backup = backUp(snapshot.id, store: store)
        if let problem = backup.problem {
            problems.append(CycleProblem(kind: .backup, identity: "backup", message: problem))
        }
        // One problem once, whatever found it: a broken [validate] kms_config fails the comparison
        // and the validation with the same parse error.
        problems = problems.uniqued()
        events += try decideErrorEvents(for: problems, snapshot: snapshot.id, report: report, store: store)
        var outcome = CycleOutcome(
            snapshot: snapshot, report: report, baselineCreated: baselineCreated, events: events,
            validation: findings, problems: problems.map(\.message), backup: backup.outcome,
            networkFingerprint: fingerprint ?? nil)
        outcome.certificates = certificates
        outcome.networkParties = network?.counts
        return outcome
    }

    /// `pending-restart` is raised once per new way the disk and the process disagree.
    func decidePendingRestart(_ report: DriftReport?, snapshot: SnapshotID, store: SnapshotStore) throws
        -> [DriftEvent]
    {
        let memory = AlertMemory(store: store)
        let previous = try memory.lastPendingRestartSignature
        let key = try store.secretFingerprintKey()
        let signature = report.map { DriftSignature.of($0, key: key) } ?? ""
        guard signature != previous else { return [] }
        try memory.rememberPendingRestart(signature: signature)
        guard let report else { return [] }
        return [DriftEvent(kind: .pendingRestart, snapshot: snapshot, report: report, message: nil)]
    }

    /// A file recorded as unreadable: a blind spot, not a transient race (a file that vanished
    /// during the walk is simply seen, or not, by the next cycle).
    static func blindSpot(of record: FileRecord) -> (path: String, reason: String)? {
        guard case .unreadable(let reason) = record.kind else { return nil }
        return (record.path, reason)
    }

    /// An `error` is raised once per problem — a problem whose identity was not among the last
    /// cycle's — and a `recovered` naming it once that problem is gone (the others may remain). The
    /// state lives in the store, so the one-shot, a new process each time, pages once too.
    /// Problems are keyed by their identity (kind of error, path, position, errno), never by
    /// their wording nor the snapshot number.
    func decideErrorEvents(
        for problems: [CycleProblem], snapshot: SnapshotID, report: DriftReport?, store: SnapshotStore
    )
        throws -> [DriftEvent]
    {
        let memory = AlertMemory(store: store)
        let previous = try memory.raisedProblems
        let current = RaisedProblems(problems)
        guard current.stored != previous.stored else { return [] }
        try memory.remember(current)
        let raised = problems.filter { !previous.identities.contains($0.identity) }.map {
            DriftEvent(kind: .error, snapshot: snapshot, report: report, message: $0.message, problem: $0)
        }
        let gone = previous.problems.filter { !current.identities.contains($0.identity) }.map {
            DriftEvent(
                kind: .recovered, snapshot: snapshot, report: nil, message: "resolved: " + $0.message,
                recovered: .problem($0))
        }
        return raised + gone
    }

    /// Validates the watched kms-server config as recorded in `snapshot` (so what is validated is
    /// exactly what was kept), with the configured environment's policy.
    func validate(_ relativePath: String, in snapshot: SnapshotID, store: SnapshotStore) throws -> [Finding] {
        let file = try validatedFile(relativePath, in: snapshot, store: store)
        return KMSConfigValidator(environment: configuration.environment).validate(file).findings
    }

    /// The kms-server config named in `[validate] kms_config`, as recorded in `snapshot`.
    func validatedFile(_ relativePath: String, in snapshot: SnapshotID, store: SnapshotStore) throws
        -> ConfigFile
    {
        let bytes: [UInt8]
        do {
            bytes = try store.contents(of: relativePath, in: .id(snapshot))
        } catch {
            throw DriftCoreError.unreadable(
                path: configuration.watchedDirectory + "/" + relativePath,
                reason:
                    "the kms-server config named in [validate] kms_config is not in the snapshot (\(error))")
        }
        return try ConfigFile.parse(
            bytes, path: configuration.watchedDirectory + "/" + relativePath,
            version: configuration.tomlVersion)
    }

    /// A `violation` is raised when validation errors appear or change, like drift: once, not every
    /// cycle. Warnings alone raise nothing.
    func decideViolationEvents(for findings: [Finding], snapshot: SnapshotID, store: SnapshotStore) throws
        -> [DriftEvent]
    {
        let errors = findings.filter { $0.level == .error }
        let memory = AlertMemory(store: store)
        let previous = try memory.lastViolationSignature
        let signature = errors.isEmpty ? "" : DriftSignature.of(findings: errors)
        guard signature != previous else { return [] }
        try memory.rememberViolation(signature: signature)
        guard !errors.isEmpty else {
            return previous.isEmpty
                ? []
                : [
                    DriftEvent(
                        kind: .recovered, snapshot: snapshot, report: nil, message: nil, recovered: .violation
                    )
                ]
        }
        return [
            DriftEvent(kind: .violation, snapshot: snapshot, report: nil, message: nil, findings: findings)
        ]
    }

    /// Drift is raised when it is new (its signature differs from the last one raised) or when a
    /// reminder is due; `recovered` when a raised drift is gone. The signature lives in the store
    /// so that the one-shot mode, a new process each time, raises a drift once too.
    func decideEvents(for report: DriftReport, snapshot: SnapshotID, store: SnapshotStore) throws
        -> [DriftEvent]
    {
        let memory = AlertMemory(store: store)
        let previous = try memory.lastDrift
        let previousSignature = previous?.signature ?? ""
        if report.isClean {
            guard !previousSignature.isEmpty else { return [] }
            try memory.rememberDrift(signature: "")
            return [
                DriftEvent(
                    kind: .recovered, snapshot: snapshot, report: report, message: nil, recovered: .drift)
            ]
        }
        let signature = DriftSignature.of(report, key: try store.secretFingerprintKey())
        var due = signature != previousSignature
        if !due, let remind = configuration.remindEvery, let previous {
            due = .seconds(now() - previous.raisedAt) >= remind
        }
        guard due else { return [] }
        try memory.rememberDrift(signature: signature)
        return [DriftEvent(kind: .drift, snapshot: snapshot, report: report, message: nil)]
    }
}

/// Seconds since the epoch on the wall clock, the default time source of a cycle.
@Sendable package func wallClockSeconds() -> Int64 {
    POSIX.wallClockSeconds()
}
