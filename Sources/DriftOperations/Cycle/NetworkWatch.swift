import DriftConfig
import DriftCore
import EffectiveConfig
import FileSystem
import NetworkAgreement
import SigningKeys
import SnapshotStore
import TOML

/// `[network]` in a cycle: publish this party's signed statement when its shared part changed
/// or a day has passed, then check the other parties' statements against this party's own.
///
/// State kept in the store (so the one-shot behaves as the daemon): the last sequence number
/// used, what was last published and when, the last sequence number seen per party (replays),
/// and the problems already raised (one event per problem, `recovered` when none is left).
struct NetworkWatch {
    let settings: NetworkSettings
    let configuration: DriftConfiguration
    /// Seconds since the epoch.
    let now: Int64

    /// What the cycle did: events to raise, problems (raised as `error`) and the party counts.
    struct Outcome {
        var events: [DriftEvent] = []
        var problems: [CycleProblem] = []
        /// Parties per state for `kms_drift_network_parties`; nil when nothing was checked.
        var counts: [String: Int]?
        /// The statement file written this cycle.
        var published: String?
    }

    func run(effective: EffectiveConfiguration?, snapshot: SnapshotID, store: SnapshotStore) -> Outcome {
        var outcome = Outcome()
        do {
            let keyring = try Keyring.load(settings.keyring)
            let (root, base) = try partyConfiguration(effective: effective, snapshot: snapshot, store: store)
            guard let party = root["threshold"]?.tableValue?["my_id"]?.integerValue else {
                throw NetworkAgreementError.noPartyIdentifier
            }
            let components = try SharedComponents.extract(from: root, certificateBase: base)
            if let path = settings.publish {
                outcome.published = try publish(
                    components, party: party, keyring: keyring, to: path, store: store)
            }
            guard !settings.statements.isEmpty else { return outcome }
            let own = Statement(
                network: keyring.network, saltID: "", partyID: party, time: POSIX.utcTimestamp(seconds: now),
                sequence: 0, chainHead: nil,
                components: components.digests(network: keyring.network, saltHex: keyring.saltHex),
                values: components.values)
            let memory = AlertMemory(store: store)
            let seen = try SequenceState.parse(try memory.networkSeen, source: "the store's network state")
            let inputs = try StatementSources(
                settings.statements, timeout: settings.timeout,
                allowRemote: settings.allowRemote
            ).read()
            let (report, newSeen) = try NetworkCheck(
                keyring: keyring, maximumAge: settings.maximumAge, now: now
            ).run(inputs, reference: .statement(own), state: seen)
            if newSeen != seen { try memory.rememberNetworkSeen(newSeen.text) }
            outcome.counts = Dictionary(
                uniqueKeysWithValues: report.counts.map { ($0.key.rawValue, $0.value) })
            outcome.events = try decideEvents(for: report, snapshot: snapshot, store: store)
        } catch {
            outcome.problems.append(
                CycleProblem(
                    kind: .network, identity: ProblemIdentity.of(error), message: "[network]: \(error)"))
        }
        return outcome
    }

    /// The party's kms-server configuration and the directory its relative certificate paths are read from.
    func partyConfiguration(effective: EffectiveConfiguration?, snapshot: SnapshotID, store: SnapshotStore)
        throws
        -> (TOMLTable, String)
    {
        if settings.kmsConfig == nil, let effective {
            return (
                try effective.configFile().root,
                configuration.effective?.workingDirectory ?? configuration.watchedDirectory
            )
        }
        guard let relative = settings.kmsConfig ?? configuration.validatedConfig else {
            throw NetworkAgreementError.invalidOption(
                "[network] has no kms-server config to state (kms_config)")
        }
        let path = configuration.watchedDirectory + "/" + relative
        let bytes: [UInt8]
        do {
            bytes = try store.contents(of: relative, in: .id(snapshot))
        } catch {
            throw DriftCoreError.unreadable(
                path: path,
                reason:
                    "the kms-server config named in [network] kms_config is not in the snapshot (\(error))")
        }
        return (
            try ConfigFile.parse(bytes, path: path, version: configuration.tomlVersion).root,
            configuration.watchedDirectory
        )
    }

    /// Writes a new statement when the shared part changed since the last one, when the last one is
    /// older than `publish_every_seconds`, or when the file is gone; returns the path when it wrote.
    func publish(
        _ components: SharedComponents, party: Int64, keyring: Keyring, to path: String, store: SnapshotStore
    ) throws -> String? {
        let shared = components.identity(
            network: keyring.network, saltHex: keyring.saltHex, withValues: settings.withValues)
        let memory = AlertMemory(store: store)
        let previous = try memory.networkPublished
        let lastTime = previous?.seconds ?? 0
        let unchanged = previous?.identity == shared
        guard
            !unchanged || .seconds(now - lastTime) >= settings.publishEvery
                || FileContents.size(of: path) == nil
        else {
            return nil
        }
        guard let keyPath = settings.key ?? configuration.signingKeyPath else {
            throw NetworkAgreementError.key("[network] publish needs key = \"FILE\" or [store] signing_key")
        }
        let key: ChainSigningKey
        do {
            key = try ChainSigningKey.load(path: keyPath)
        } catch {
            throw NetworkAgreementError.key(error.description)
        }
        let sequence = try memory.networkSequence + 1
        let statement = try StatementMaker(keyring: keyring, key: key, withValues: settings.withValues).make(
            components: components, partyID: party, time: POSIX.utcTimestamp(seconds: now),
            sequence: sequence,
            chainHead: try store.chainHead()?.chainHash.description)
        // The number is kept before the file is written: a crash in between skips a number, never reuses one.
        try memory.rememberNetworkSequence(sequence)
        try StatementFile.write(statement.json(), to: path)
        try memory.rememberNetworkPublished(identity: shared, seconds: now)
        return path
    }

    /// One `network-disagreement` per party that differs or whose statements are invalid, one
    /// `network-stale` per missing or stale party, each once while it lasts; `recovered` when the
    /// last one is gone. Problems are keyed by party, state and what differs (digests), never by age.
    func decideEvents(for report: NetworkReport, snapshot: SnapshotID, store: SnapshotStore) throws
        -> [DriftEvent]
    {
        var current: [(key: String, kind: EventKind, message: String)] = []
        for party in report.parties {
            let id = party.partyID
            switch party.state {
            case .agree: break
            case .differ:
                let key =
                    "differ \(id) "
                    + party.differences.map { "\($0.component)=\($0.digest ?? "-")" }.joined(separator: ",")
                let what = party.differences.map { difference -> String in
                    var text = "`\(difference.component)`"
                    if let value = difference.value, let other = difference.referenceValue {
                        text += " (\(value) there, \(other) here)"
                    }
                    return text
                }
                current.append(
                    (key, .networkDisagreement, "party \(id) differs on " + what.joined(separator: ", ")))
            case .missing:
                current.append(
                    ("missing \(id)", .networkStale, "party \(id) is missing: no statement from it was found")
                )
            case .stale:
                current.append(
                    (
                        "stale \(id)", .networkStale,
                        "party \(id) is stale: its newest statement is from \(party.time ?? "?"), older than "
                            + "\(settings.maximumAge.components.seconds) s"
                    ))
            case .invalid: break
            }
            for rejected in party.rejected {
                current.append(
                    (
                        "rejected \(id) \(rejected.problem.code) \(rejected.source)", .networkDisagreement,
                        "party \(id): \(rejected.source): \(rejected.problem)"
                    ))
            }
        }
        for rejected in report.unattributed {
            current.append(
                (
                    "unattributed \(rejected.problem.code) \(rejected.source)", .networkDisagreement,
                    "\(rejected.source): \(rejected.problem)"
                ))
        }
        let memory = AlertMemory(store: store)
        let previous = try memory.networkProblems
        let keys = Set(current.map { StringLiteral.quoted($0.key) })
        guard keys != previous else { return [] }
        try memory.rememberNetworkProblems(keys)
        if keys.isEmpty {
            return [
                DriftEvent(
                    kind: .recovered, snapshot: snapshot, report: nil,
                    message: "the network agrees again: every party states the same shared configuration",
                    recovered: .network)
            ]
        }
        return current.filter { !previous.contains(StringLiteral.quoted($0.key)) }.map {
            DriftEvent(kind: $0.kind, snapshot: snapshot, report: nil, message: $0.message)
        }
    }
}
