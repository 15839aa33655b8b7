import DriftConfig
import DriftCore
import Foundation
import SnapshotStore
import TestSupport
import Testing

@testable import DriftOperations

/// Each snapshot's comparison with the reference is kept when the cycle takes it, and `list`
/// reuses it until the reference changes.
@Suite("Comparisons kept with their snapshot", .temporaryDirectory)
struct StoredComparisonTests {
    let root: URL
    var watched: URL { root.appendingPathComponent("watched") }
    var node: URL { watched.appendingPathComponent("kms-server.toml") }

    init() throws {
        root = try TemporaryDirectory.current().url
        try FileManager.default.createDirectory(at: watched, withIntermediateDirectories: true)
        try "[service]\nlisten_port = 50100\n".write(to: node, atomically: true, encoding: .utf8)
    }

    func configuration() -> DriftConfiguration {
        DriftConfiguration(
            watchedDirectory: watched.path, databasePath: root.appendingPathComponent("h.db").path)
    }

    /// What `list` shows for `snapshot`.
    func listed(_ snapshot: SnapshotID, _ configuration: DriftConfiguration, _ store: SnapshotStore) throws
        -> StoredComparison
    {
        try configuration.comparisonWithReference(
            of: snapshot, in: store, identity: try configuration.referenceIdentity(in: store),
            stored: try store.storedComparisons())
    }

    @Test("a cycle stores its comparison; list reads it back; a moved baseline makes list compare again")
    func baseline() throws {
        let configuration = configuration()
        let store = try SnapshotStore(path: configuration.databasePath)
        let cycle = DriftCycle(configuration: configuration)
        let first = try cycle.run(on: store).snapshot.id
        try "[service]\nlisten_port = 50101\nname = \"x\"\n".write(
            to: node, atomically: true, encoding: .utf8)
        let second = try cycle.run(on: store).snapshot.id

        let stored = try store.storedComparisons()
        #expect(stored[first]?.changeCount == 0)
        #expect(stored[second]?.changeCount == 2)
        #expect(stored[second]?.countsBySeverity.values.reduce(0, +) == 2)

        // Proof that list does not compare again: a row altered behind its back is what it shows.
        let identity = try configuration.referenceIdentity(in: store)
        let altered = StoredComparison(
            reference: identity, changeCount: 42, countsBySeverity: [.critical: 42])
        try store.recordComparison(altered, of: second)
        #expect(try listed(second, configuration, store) == altered)

        // The baseline moves: the stored row is stale, list compares again and keeps the new answer.
        try store.setBaseline(.id(second), reason: "accepted")
        let recomputed = try listed(second, configuration, store)
        #expect(recomputed.changeCount == 0)
        #expect(try store.storedComparisons()[second] == recomputed)
        #expect(try listed(first, configuration, store).changeCount == 2)
    }

    @Test("with a reference directory, a change to that directory makes the stored comparisons stale")
    func referenceDirectory() throws {
        let reference = root.appendingPathComponent("gitops")
        try FileManager.default.createDirectory(at: reference, withIntermediateDirectories: true)
        let referenceFile = reference.appendingPathComponent("kms-server.toml")
        try "service.listen_port = 50100\n".write(to: referenceFile, atomically: true, encoding: .utf8)
        var configuration = configuration()
        configuration.reference = .directory(reference.path)
        let store = try SnapshotStore(path: configuration.databasePath)
        let snapshot = try DriftCycle(configuration: configuration).run(on: store).snapshot.id
        let before = try configuration.referenceIdentity(in: store)
        #expect(try store.storedComparisons()[snapshot]?.reference == before)
        #expect(try listed(snapshot, configuration, store).changeCount == 0)

        // The GitOps repository moves on: the identity changes and the snapshot now differs.
        try "service.listen_port = 50200\n".write(to: referenceFile, atomically: true, encoding: .utf8)
        #expect(try configuration.referenceIdentity(in: store) != before)
        #expect(try listed(snapshot, configuration, store).changeCount == 1)

        // Other [compare] settings are part of the identity too.
        var ignoring = configuration
        ignoring.ignore = [try KeyPathPattern("service.listen_port")]
        #expect(try ignoring.referenceIdentity(in: store) != configuration.referenceIdentity(in: store))
        #expect(try listed(snapshot, ignoring, store).changeCount == 0)
    }

    @Test(
        "an unchanged cycle reuses the report kept by the last one; a new state, a moved baseline or a new setting compares again"
    )
    func keptReportReused() throws {
        let configuration = configuration()
        let store = try SnapshotStore(path: configuration.databasePath)
        let cycle = DriftCycle(configuration: configuration)
        _ = try cycle.run(on: store)
        try "[service]\nlisten_port = 50101\n".write(to: node, atomically: true, encoding: .utf8)
        let drifted = try cycle.run(on: store)
        #expect(drifted.report?.changeCount == 1)

        // Proof that the next unchanged cycle does not compare again: a kept report replaced
        // behind its back (same snapshot, same key) is what it returns.
        let key = configuration.reportKey(identity: try configuration.referenceIdentity(in: store))
        #expect(try store.keptReport(of: drifted.snapshot.id, key: key) != nil)
        let planted = DriftReport(reference: "planted", current: "planted", files: [])
        try store.keepReport(ReportEncoding.encode(planted), of: drifted.snapshot.id, key: key)
        let unchanged = try cycle.run(on: store)
        #expect(unchanged.snapshot.isUnchanged)
        #expect(unchanged.report?.reference == "planted")

        // Another setting: compared again.
        var ignoring = configuration
        ignoring.ignore = [try KeyPathPattern("service.note")]
        #expect(try DriftCycle(configuration: ignoring).run(on: store).report?.changeCount == 1)

        // The planted report again, then a moved baseline: compared again.
        try store.keepReport(ReportEncoding.encode(planted), of: drifted.snapshot.id, key: key)
        try store.setBaseline(.id(drifted.snapshot.id), reason: "accepted")
        let accepted = try cycle.run(on: store)
        #expect(accepted.report?.reference != "planted")
        #expect(accepted.report?.changeCount == 0)

        // A new state: compared again, whatever is kept.
        try store.keepReport(ReportEncoding.encode(planted), of: accepted.snapshot.id, key: key)
        try "[service]\nlisten_port = 50102\n".write(to: node, atomically: true, encoding: .utf8)
        let changed = try cycle.run(on: store)
        #expect(!changed.snapshot.isUnchanged)
        #expect(changed.report?.changeCount == 1)
    }

    @Test("rotation deletes a snapshot's stored comparison with it")
    func rotation() throws {
        var configuration = configuration()
        configuration.keep = 1
        let store = try SnapshotStore(path: configuration.databasePath)
        let cycle = DriftCycle(configuration: configuration)
        for port in 1...3 {
            try "[service]\nlisten_port = \(port)\n".write(to: node, atomically: true, encoding: .utf8)
            _ = try cycle.run(on: store)
        }
        let kept = Set(try store.listSnapshots().map(\.id))
        #expect(Set(try store.storedComparisons().keys) == kept)
    }
}
