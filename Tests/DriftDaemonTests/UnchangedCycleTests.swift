import DriftConfig
import Foundation
import Glibc
import SnapshotStore
import TestSupport
import Testing

@testable import DriftDaemon
@testable import DriftOperations

/// A cycle that finds nothing changed stores no snapshot, yet drift, `recovered` and the metrics
/// behave as before: an unchanged drifted state is still drifted, and the last check is exported.
@Suite("Unchanged cycles", .temporaryDirectory)
struct UnchangedCycleTests {
    @Test("drift is raised once and stays drift while unchanged; recovered once; the last check is a metric")
    func driftAcrossUnchangedCycles() throws {
        let directory = try TemporaryDirectory.current()
        let node = try directory.write("watched/kms-server.toml", "[service]\nlisten_port = 50100\n")
        let configuration = DriftConfiguration(
            watchedDirectory: directory.path("watched"), databasePath: directory.path("h.db"))
        let store = try SnapshotStore(path: configuration.databasePath)
        let cycle = DriftCycle(configuration: configuration, origin: .daemon)

        let first = try cycle.run(on: store)
        #expect(!first.snapshot.isUnchanged && first.baselineCreated)
        let quiet = try cycle.run(on: store)
        #expect(quiet.snapshot.isUnchanged && quiet.snapshot.id == first.snapshot.id)
        #expect(quiet.exitStatus == .nothingToReport && quiet.events.isEmpty)

        try "[service]\nlisten_port = 50101\n".write(toFile: node, atomically: true, encoding: .utf8)
        let drifted = try cycle.run(on: store)
        #expect(drifted.events.map(\.kind) == [.drift])
        for _ in 0..<3 {
            let still = try cycle.run(on: store)
            #expect(still.snapshot.isUnchanged && still.snapshot.id == drifted.snapshot.id)
            #expect(still.exitStatus == .findings, "an unchanged drifted state is still drifted")
            #expect(still.report?.isClean == false)
            #expect(still.events.isEmpty, "raised once")
        }

        var metrics = CycleMetrics()
        metrics.recordCheck(of: drifted.snapshot, at: 1_700_000_000)
        metrics.recordCheck(of: try cycle.run(on: store).snapshot, at: 1_700_000_060)
        #expect(metrics.lastCheckTimestamp == 1_700_000_060)
        #expect(
            metrics.lastSnapshotTimestamp == (drifted.snapshot.chain?.takenAtNanoseconds ?? 0) / 1_000_000_000
        )
        let text = metrics.render()
        #expect(
            text.contains(
                "# TYPE kms_drift_last_check_timestamp_seconds gauge\nkms_drift_last_check_timestamp_seconds 1700000060\n"
            ))

        // Back to the reference, its mtime set apart: a rewrite of the same size within one
        // timestamp tick of the last, on a reused inode, leaves the status equal and is not seen
        // by status alone (as for git's "racily clean" files); this test runs faster than a tick.
        try "[service]\nlisten_port = 50100\n".write(toFile: node, atomically: true, encoding: .utf8)
        var times = [
            timespec(tv_sec: 1_600_000_000, tv_nsec: 0), timespec(tv_sec: 1_600_000_000, tv_nsec: 0),
        ]
        utimensat(AT_FDCWD, node, &times, 0)
        let back = try cycle.run(on: store)
        #expect(back.events.map(\.kind) == [.recovered])
        #expect(try store.listSnapshots().count == 3)
        #expect(try store.chainLinks().count == 3)
    }
}
