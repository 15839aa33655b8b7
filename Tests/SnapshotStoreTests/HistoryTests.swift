import Foundation
import Glibc
import TestSupport
import Testing

@testable import SnapshotStore

/// A history of distinct states: an unchanged cycle stores nothing and marks the latest snapshot
/// checked; what counts as a change; retention by count and by period, with its reasons; the
/// previous baseline; the store's identity.
@Suite("History of distinct states and retention", .temporaryDirectory)
struct HistoryTests {
    static func options(at seconds: Int64? = nil, _ retention: RetentionPolicy? = nil) -> SnapshotOptions {
        var options = SnapshotOptions()
        options.onlyWhenChanged = true
        options.retention = retention
        options.takenAtNanoseconds = seconds.map { $0 * 1_000_000_000 }
        return options
    }

    @Test("twenty unchanged snapshots leave one snapshot, one chain link, and nineteen checks")
    func unchangedStoresNothing() throws {
        let temp = try TemporaryDirectory.current()
        try temp.write("tree/a.toml", "threshold = 4\n")
        let store = try SnapshotStore(path: temp.path("history.db"))
        let first = try store.takeSnapshot(of: temp.path("tree"), options: Self.options())
        #expect(!first.isUnchanged)
        for _ in 0..<19 {
            let again = try store.takeSnapshot(of: temp.path("tree"), options: Self.options())
            #expect(again.isUnchanged)
            #expect(again.id == first.id)
            #expect(again.chain?.chainHash == first.chain?.chainHash)
        }
        #expect(try store.listSnapshots().count == 1)
        #expect(try store.chainLinks().count == 1)
        let check = try #require(try store.lastCheck())
        #expect(check.snapshot == first.id)
        #expect(check.unchangedChecks == 19)
        #expect(try store.verifyChain().problems.isEmpty)
    }

    @Test(
        "content, mode, owner, link target, the file set, a directory and a virtual file are changes; an mtime alone is not",
        arguments: ChangingTree.changes)
    func whatCountsAsAChange(_ change: String) throws {
        let tree = try ChangingTree(try TemporaryDirectory.current())
        let store = try SnapshotStore(path: tree.temp.path("history.db"))
        let options = Self.options()
        let first = try store.takeSnapshot(from: tree.source, options: options)
        try tree.apply(change)
        let second = try store.takeSnapshot(from: tree.source, options: options)
        #expect(second.isUnchanged == (change == "touch"), "\(change)")
        #expect(try store.listSnapshots().count == (change == "touch" ? 1 : 2), "\(change)")
        if change != "touch" { #expect(second.id != first.id) }
    }

    /// 15 changes over 6 days (3 a day, the last day 0), keep = 10, daily = 4.
    @Test(
        "keep = 10 plus keep_daily = 4 keeps exactly the newest 10 and the newest of the last 4 days, with reasons"
    )
    func retentionByPeriod() throws {
        let temp = try TemporaryDirectory.current()
        let store = try SnapshotStore(path: temp.path("history.db"))
        let policy = RetentionPolicy(keep: 10, daily: 4)
        let day: Int64 = 86_400
        let start: Int64 = 1_796_000_000 - 1_796_000_000 % day  // midnight UTC, 2026-11-30
        var ids: [SnapshotID] = []
        for change in 0..<15 {
            try temp.write("tree/a.toml", "value = \(change)\n")
            // Days 0…4, three changes a day at 01:00, 09:00 and 17:00.
            let time = start + Int64(change / 3) * day + 3_600 + Int64(change % 3) * 8 * 3_600
            ids.append(
                try store.takeSnapshot(of: temp.path("tree"), options: Self.options(at: time, policy)).id)
        }
        let listed = try store.listSnapshots(policy: policy)
        // Newest 10: changes 5…14. Daily: the newest of days 4, 3, 2, 1: changes 14, 11, 8, 5; day 0
        // (changes 0-2) is the fifth day: not kept. So 10 snapshots are left.
        #expect(listed.map(\.id) == Array(ids[5...]))
        let reasons = Dictionary(
            uniqueKeysWithValues: listed.map { ($0.id, $0.keptBecause.map(\.description)) })
        #expect(reasons[ids[14]] == ["newest 1/10", "daily 2026-12-04"])
        #expect(reasons[ids[11]] == ["newest 4/10", "daily 2026-12-03"])
        #expect(reasons[ids[5]] == ["newest 10/10", "daily 2026-12-01"])
        #expect(reasons[ids[6]] == ["newest 9/10"])

        // Fewer newest, more days: the newest of each day held, and the newest 3.
        let wider = RetentionPolicy(keep: 3, daily: 7)
        try store.rotate(policy: wider)
        let kept = try store.listSnapshots(policy: wider)
        #expect(kept.map(\.id) == [ids[5], ids[8], ids[11], ids[12], ids[13], ids[14]])
        #expect(kept.first?.keptBecause.map(\.description) == ["daily 2026-12-01"])
    }

    @Test("hourly, weekly and monthly periods are UTC hours, ISO weeks and months")
    func periodKeys() {
        // 2027-01-01 is a Friday: ISO week 53 of 2026.
        let newYear: Int64 = 1_798_761_600 * 1_000_000_000
        #expect(RetentionPeriod.daily.key(nanoseconds: newYear) == "2027-01-01")
        #expect(RetentionPeriod.weekly.key(nanoseconds: newYear) == "2026-W53")
        #expect(RetentionPeriod.monthly.key(nanoseconds: newYear) == "2027-01")
        #expect(
            RetentionPeriod.hourly.key(nanoseconds: newYear + 3_600 * 13 * 1_000_000_000) == "2027-01-01 13h")
        // 2027-01-04 (Monday) starts week 1 of 2027.
        #expect(RetentionPeriod.weekly.key(nanoseconds: newYear + 3 * 86_400 * 1_000_000_000) == "2027-W01")
    }

    @Test("the baseline, the previous baseline and pinned snapshots never rotate; previous-baseline resolves")
    func previousBaseline() throws {
        let temp = try TemporaryDirectory.current()
        let store = try SnapshotStore(path: temp.path("history.db"))
        var ids: [SnapshotID] = []
        for change in 0..<3 {
            try temp.write("tree/a.toml", "value = \(change)\n")
            ids.append(try store.takeSnapshot(of: temp.path("tree"), options: Self.options()).id)
        }
        try store.setBaseline(.id(ids[0]), reason: "first")
        #expect(throws: SnapshotStoreError.self) { try store.resolve(.previousBaseline) }
        try store.setBaseline(.id(ids[1]), reason: "second")
        #expect(try store.resolve(.previousBaseline) == ids[0])
        try store.setBaseline(.id(ids[1]), reason: "again")  // the same one: the previous stays
        #expect(try store.resolve(.previousBaseline) == ids[0])
        for change in 3..<8 {
            try temp.write("tree/a.toml", "value = \(change)\n")
            try store.takeSnapshot(
                of: temp.path("tree"), options: Self.options(at: nil, RetentionPolicy(keep: 1)))
        }
        let listed = try store.listSnapshots(policy: RetentionPolicy(keep: 1))
        #expect(listed.count == 3)
        #expect(listed.first { $0.id == ids[0] }?.isPreviousBaseline == true)
        #expect(listed.first { $0.id == ids[0] }?.keptBecause == [.previousBaseline])
        #expect(listed.first { $0.id == ids[1] }?.keptBecause == [.baseline])
        #expect(try store.contents(of: "a.toml", in: .previousBaseline) == Array("value = 0\n".utf8))
        // The next accept releases it to rotation.
        try store.setBaseline(.latest, reason: "third")
        #expect(try store.resolve(.previousBaseline) == ids[1])
        try store.rotate(policy: RetentionPolicy(keep: 1))
        #expect(try store.listSnapshots().count == 2)
    }

    @Test("a store's identity is made with it, kept across opens, and differs between stores")
    func storeIdentity() throws {
        let temp = try TemporaryDirectory.current()
        let first = try SnapshotStore(path: temp.path("a.db")).storeIdentity()
        #expect(try SnapshotStore(path: temp.path("a.db")).storeIdentity() == first)
        #expect(try SnapshotStore(path: temp.path("b.db")).storeIdentity() != first)
        #expect(first.description.count == 16)
        #expect(StoreIdentity(hex: first.description) == first)
    }

    @Test("a store from before schema 6 gets an identity, and its snapshots no check marks")
    func migrationGivesIdentity() throws {
        let temp = try TemporaryDirectory.current()
        try temp.write("tree/a.toml", "a = 1\n")
        do {
            let store = try SnapshotStore(path: temp.path("history.db"))
            try store.takeSnapshot(of: temp.path("tree"))
        }
        #expect(
            sqlite(
                temp.path("history.db"),
                """
                DROP TABLE chain_marks;
                DELETE FROM store_keys WHERE name = 'store-identity';
                ALTER TABLE snapshots DROP COLUMN checked_at_ns;
                ALTER TABLE snapshots DROP COLUMN unchanged_checks;
                ALTER TABLE baseline DROP COLUMN previous_snapshot_id;
                ALTER TABLE baseline DROP COLUMN previous_reason;
                PRAGMA user_version = 5;
                """) == 0)
        let store = try SnapshotStore(path: temp.path("history.db"))
        #expect(try store.integer("PRAGMA user_version") == Int64(SnapshotStore.schemaVersion))
        #expect(try store.integer("SELECT count(*) FROM store_keys WHERE name = 'store-identity'") == 1)
        #expect(try store.listSnapshots().first?.unchangedChecks == 0)
    }
}
