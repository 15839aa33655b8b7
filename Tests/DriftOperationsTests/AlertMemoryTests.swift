import Foundation
import SnapshotStore
import TestSupport
import Testing

@testable import DriftOperations

/// The cycle's memory of what it raised: typed values on the store's named-value table, each
/// kept apart from the others and from any other user of the table.
@Suite("alert memory", .temporaryDirectory)
struct AlertMemoryTests {
    let store: SnapshotStore

    init() throws {
        store = try SnapshotStore(
            path: try TemporaryDirectory.current().url.appendingPathComponent("m.db").path)
    }

    @Test("a new store remembers nothing")
    func empty() throws {
        let memory = AlertMemory(store: store)
        #expect(try memory.lastDrift == nil)
        #expect(try memory.lastPendingRestartSignature == "")
        #expect(try memory.lastViolationSignature == "")
        #expect(try memory.raisedProblems.problems.isEmpty)
        #expect(try memory.certificateExpiryStages == "")
        #expect(try memory.networkSequence == 0)
        #expect(try memory.networkPublished == nil)
        #expect(try memory.networkSeen == "")
        #expect(try memory.networkProblems.isEmpty)
    }

    @Test("each value reads back as written, in a new memory on the same store, without touching the others")
    func roundTrip() throws {
        let before = Int64(Date().timeIntervalSince1970)
        let memory = AlertMemory(store: store)
        try memory.rememberDrift(signature: "drift-sig")
        try memory.rememberViolation(signature: "violation-sig")
        try memory.rememberNetworkSequence(41)
        try memory.rememberNetworkPublished(identity: "shared-id", seconds: 1_700_000_000)
        try memory.rememberNetworkProblems(["b", "a"])
        let problem = CycleProblem(kind: .backup, identity: "backup", message: "the disk is full")
        try memory.remember(RaisedProblems([problem]))

        let again = AlertMemory(store: store)
        let drift = try #require(try again.lastDrift)
        #expect(drift.signature == "drift-sig")
        #expect(drift.raisedAt >= before && drift.raisedAt <= Int64(Date().timeIntervalSince1970) + 1)
        #expect(try again.lastViolationSignature == "violation-sig")
        #expect(try again.lastPendingRestartSignature == "")
        #expect(try again.networkSequence == 41)
        let published = try #require(try again.networkPublished)
        #expect(published.identity == "shared-id" && published.seconds == 1_700_000_000)
        #expect(try again.networkProblems == ["a", "b"])
        #expect(try again.raisedProblems.problems == [problem])
        // Another user of the table (the backup's last export) is not the cycle's to read.
        try store.setNamedValue("x", named: "backup.last")
        #expect(try again.lastViolationSignature == "violation-sig")
    }
}
