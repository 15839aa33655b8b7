import DriftConfig
import DriftCore
import Foundation
import SnapshotStore
import TestSupport
import Testing

@testable import DriftOperations

/// The history's use cases end to end on a real store: each result carries the exit status the
/// command exits with, and its rendering is what the command prints.
@Suite("history operations: list, diff, baseline, pin, restore, verify", .temporaryDirectory)
struct HistoryOperationsTests {
    let root: URL
    var watched: URL { root.appendingPathComponent("watched") }
    var node: URL { watched.appendingPathComponent("kms-server.toml") }

    init() throws {
        root = try TemporaryDirectory.current().url
        try FileManager.default.createDirectory(at: watched, withIntermediateDirectories: true)
        try write("[service]\nlisten_port = 50100\n")
    }

    func write(_ text: String) throws { try text.write(to: node, atomically: true, encoding: .utf8) }

    var configuration: DriftConfiguration {
        DriftConfiguration(
            watchedDirectory: watched.path, databasePath: root.appendingPathComponent("h.db").path)
    }

    /// A store whose first snapshot is the baseline and whose second drifted from it.
    func drifted() throws -> SnapshotStore {
        let store = try SnapshotStore(path: configuration.databasePath)
        let cycle = DriftCycle(configuration: configuration)
        _ = try cycle.run(on: store)
        try write("[service]\nlisten_port = 50101\n")
        _ = try cycle.run(on: store)
        return store
    }

    @Test("the exit statuses are the documented 0, 1 and 2")
    func statuses() {
        #expect(ExitStatus.nothingToReport.rawValue == 0)
        #expect(ExitStatus.findings.rawValue == 1)
        #expect(ExitStatus.failure.rawValue == 2)
        #expect(
            ExitStatus.findings(if: true) == .findings && ExitStatus.findings(if: false) == .nothingToReport)
        #expect(ExitStatus.failure(if: true) == .failure && ExitStatus.failure(if: false) == .nothingToReport)
    }

    @Test("list: an empty store says so; a drifted one marks the baseline and compares each snapshot")
    func list() throws {
        let empty = try SnapshotStore(path: configuration.databasePath)
        let none = try SnapshotListing(configuration: configuration).run(in: empty)
        #expect(
            SnapshotListText.render(none, long: false) == "no snapshots in \(configuration.databasePath)\n")
        #expect(none.exitStatus == .nothingToReport)

        let store = try drifted()
        let listing = try SnapshotListing(configuration: configuration).run(in: store)
        #expect(listing.snapshots.map(\.id.rawValue) == [1, 2])
        #expect(listing.statuses?[SnapshotID(1)] == "same")
        #expect(listing.statuses?[SnapshotID(2)]?.hasPrefix("differs: ") == true)
        // Listing judges nothing: drift is `snapshot`'s and `diff`'s to report.
        #expect(listing.exitStatus == .nothingToReport)
        let text = SnapshotListText.render(listing, long: true)
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines[0].hasPrefix("ID") && lines[0].hasSuffix("VS REFERENCE"))
        #expect(lines[1].hasPrefix("#2") && lines[2].hasPrefix("#1"))
        #expect(lines[2].contains("baseline (first snapshot of an empty store)"))
        #expect(lines[3].hasPrefix("checked "))

        let json = SnapshotListJSON.render(listing)
        #expect(
            json.hasPrefix("{\"schema\": \"kms-drift.snapshots/1\"")
                || json.contains("\"kms-drift.snapshots/1\""))
        let object = try #require(
            try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        let snapshots = try #require(object["snapshots"] as? [[String: Any]])
        #expect(snapshots.map { $0["id"] as? Int } == [2, 1])
        #expect(snapshots[1]["vs_reference"] as? String == "same")

        let quiet = try SnapshotListing(configuration: configuration, withStatus: false).run(in: store)
        #expect(quiet.statuses == nil)
        #expect(!SnapshotListText.render(quiet, long: false).contains("VS REFERENCE"))
        #expect(!SnapshotListJSON.render(quiet).contains("vs_reference"))
    }

    @Test("diff: 1 when the snapshots differ in meaning, 0 when they do not")
    func diff() throws {
        let store = try drifted()
        let changed = try SnapshotDiff(configuration: configuration, from: .id(SnapshotID(1)), to: .latest)
            .run(in: store)
        #expect(changed.exitStatus == .findings)
        #expect(changed.report.files.flatMap(\.differences).count == 1)
        let same = try SnapshotDiff(configuration: configuration, from: .latest, to: .latest).run(in: store)
        #expect(same.exitStatus == .nothingToReport)
        // Without TO, against the reference (the baseline, #1).
        let reference = try SnapshotDiff(configuration: configuration, from: .latest, to: nil).run(in: store)
        #expect(reference.exitStatus == .findings)
        let ignored = try SnapshotDiff(
            configuration: configuration, from: .latest, to: nil, ignoring: [try KeyPathPattern("service.*")]
        ).run(in: store)
        #expect(ignored.exitStatus == .nothingToReport)
    }

    @Test("baseline set moves the baseline and names the previous one; pin says what it did")
    func baseline() throws {
        let store = try drifted()
        let set = try BaselineChange(configuration: configuration, reason: "CHG-1").set(
            .latest, openStore: { store })
        #expect(
            BaselineText.render(set)
                == "snapshot #2 is now the baseline: CHG-1\nthe previous baseline #1 is kept until the next "
                + "accept (kms-drift restore previous-baseline puts it back)\n")
        #expect(set.exitStatus == .nothingToReport)
        #expect(
            try SnapshotDiff(configuration: configuration, from: .latest, to: nil).run(in: store).exitStatus
                == .nothingToReport)
        let pinned = try PinChange(pinned: true).run(.id(SnapshotID(1)), in: store)
        #expect(BaselineText.render(pinned) == "snapshot #1 is pinned\n")
        #expect(try store.listSnapshots().first?.isPinned == true)
    }

    @Test("baseline set against a reference directory is refused before the store is opened")
    func baselineWithReferenceDirectory() throws {
        var configuration = configuration
        configuration.reference = .directory(root.path)
        var opened = false
        #expect(throws: DriftConfigurationError.self) {
            _ = try BaselineChange(configuration: configuration, reason: "x").set(
                .latest,
                openStore: {
                    opened = true
                    return try SnapshotStore(path: configuration.databasePath)
                })
        }
        #expect(!opened)
    }

    @Test("baseline take snapshots the directory and says so with the chain head")
    func take() throws {
        let store = try SnapshotStore(path: configuration.databasePath)
        let result = try BaselineChange(configuration: configuration, reason: "first").take(in: store)
        guard case .taken(let snapshot, _) = result else {
            Issue.record("not taken: \(result)")
            return
        }
        #expect(try store.resolve(.baseline) == snapshot.id)
        let text = BaselineText.render(result)
        #expect(text.hasPrefix("snapshot #1 (1 files) is now the baseline: first; chain=sha256:"))
    }

    @Test("restore: a dry run writes nothing and exits 0; a restore saves the current state first")
    func restore() throws {
        let store = try drifted()
        var dryRun = SnapshotRestoration(configuration: configuration, source: .history(.baseline))
        dryRun.dryRun = true
        let planned = try dryRun.run(announce: { Issue.record("announced \($0)") }, openStore: { store })
        #expect(planned.exitStatus == .nothingToReport)
        #expect(planned.outcome.savedState == nil)
        let plan = RestoreText.render(planned)
        #expect(plan.contains("would write 644"))
        #expect(plan.hasSuffix("would restore 1 of 1 entries of snapshot #1 into \(watched.path)\n"))
        #expect(try String(contentsOf: node, encoding: .utf8).contains("50101"))

        let restored = try SnapshotRestoration(configuration: configuration, source: .history(.baseline))
            .run(announce: { _ in }, openStore: { store })
        #expect(restored.exitStatus == .nothingToReport)
        let text = RestoreText.render(restored)
        #expect(text.hasPrefix("the current state is snapshot #2 already (unchanged): nothing to save\n"))
        #expect(text.hasSuffix("restored 1 of 1 entries of snapshot #1 into \(watched.path)\n"))
        #expect(try String(contentsOf: node, encoding: .utf8).contains("50100"))
    }

    @Test("verify: an intact history exits 0 and says what it checked; an unknown witness is damage (2)")
    func verify() throws {
        let store = try drifted()
        let intact = try HistoryVerification(configuration: configuration).run(openStore: { store })
        #expect(intact.exitStatus == .nothingToReport)
        #expect(HistoryVerificationText.failure(intact) == nil)
        #expect(HistoryVerificationText.problems(intact).isEmpty)
        let report = HistoryVerificationText.report(intact)
        #expect(report.contains("every stored file of 2 snapshots re-hashed"))
        #expect(report.contains("ok: chain of 2 links intact (2 held, 0 rotated); head #2 sha256:"))

        let unknown = "sha256:" + String(repeating: "ab", count: 32)
        let witnessed = try HistoryVerification(configuration: configuration, expectedHeads: [unknown])
            .run(openStore: { store })
        #expect(witnessed.exitStatus == .failure)
        #expect(
            HistoryVerificationText.failure(witnessed)?.description.hasPrefix("the history is not intact")
                == true)
        #expect(HistoryVerificationText.problems(witnessed).hasPrefix("chain: "))
    }

    @Test("verify: a witness file without a head is refused before the store is opened")
    func witnessWithoutHead() throws {
        let file = root.appendingPathComponent("journal.txt")
        try "nothing here\n".write(to: file, atomically: true, encoding: .utf8)
        var opened = false
        do {
            _ = try HistoryVerification(configuration: configuration, witnessFiles: [file.path]).run(
                openStore: {
                    opened = true
                    return try SnapshotStore(path: configuration.databasePath)
                })
            Issue.record("accepted a witness file without a head")
        } catch let error as OperationError {
            #expect(
                error.description
                    == "\(file.path) holds no chain head (a line with chain=sha256:… or sha256:…); nothing to check"
            )
        }
        #expect(!opened)
    }
}
