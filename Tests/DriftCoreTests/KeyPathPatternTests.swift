import Testing

@testable import DriftCore

@Suite("Key path patterns")
struct KeyPathPatternTests {
    let peerAddress = KeyPath([
        .key("threshold"), .key("peers"), .identity(key: "party_id", value: "3"), .key("address"),
    ])

    @Test("a pattern covers the path and everything below it")
    func prefixSemantics() throws {
        #expect(try KeyPathPattern("threshold").matches(peerAddress))
        #expect(try KeyPathPattern("threshold.peers").matches(peerAddress))
        #expect(
            try KeyPathPattern("telemetry.*").matches(KeyPath(keys: "telemetry", "batch", "max_queue_size")))
        #expect(try !KeyPathPattern("telemetry.*").matches(KeyPath(keys: "telemetry")))
        #expect(try !KeyPathPattern("service").matches(KeyPath(keys: "services", "x")))
    }

    @Test("brackets match array items by identity, value or position")
    func items() throws {
        #expect(try KeyPathPattern("threshold.peers[*].address").matches(peerAddress))
        #expect(try KeyPathPattern("threshold.peers[party_id=3]").matches(peerAddress))
        #expect(try KeyPathPattern("threshold.peers[3].address").matches(peerAddress))
        #expect(try !KeyPathPattern("threshold.peers[party_id=4]").matches(peerAddress))
        #expect(try KeyPathPattern("a[1]").matches(KeyPath([.key("a"), .position(1)])))
    }

    @Test("globs inside names and ** across depths")
    func globs() throws {
        #expect(
            try KeyPathPattern("*_vault.storage").matches(
                KeyPath(keys: "private_vault", "storage", "s3", "bucket")))
        #expect(try KeyPathPattern("**.password").matches(KeyPath(keys: "a", "b", "c", "password")))
        #expect(try KeyPathPattern("**.password").matches(KeyPath(keys: "password")))
        #expect(try !KeyPathPattern("**.password").matches(KeyPath(keys: "a", "passwords")))
        #expect(try KeyPathPattern("\"dotted.key\".x").matches(KeyPath(keys: "dotted.key", "x", "y")))
        // The same name globs as file patterns (PathGlob(name:)).
        #expect(try KeyPathPattern("pr?vate_*").matches(KeyPath(keys: "private_vault", "storage")))
        #expect(try !KeyPathPattern("pr?vate_*").matches(KeyPath(keys: "prvate_vault")))
    }

    @Test("file-level severities come from the same table as key paths")
    func fileSeverities() {
        #expect(SeverityRules.kms.severity(ofFileAt: "certs/cert_party3.pem") == .critical)
        #expect(SeverityRules.kms.severity(ofFileAt: "kms-server.toml") == .critical)
        #expect(SeverityRules.kms.severity(ofFileAt: "notes.txt") == .warning)
        #expect(SeverityRules.kms.severity(ofFileAt: "key.pem.bak") == .warning)
    }

    @Test("malformed patterns are rejected with a reason", arguments: ["", "a..b", "a[", "\"open"])
    func malformed(_ text: String) {
        #expect(throws: DriftCoreError.self) { try KeyPathPattern(text) }
    }

    @Test("key paths print with TOML quoting")
    func keyPathDescription() {
        #expect(peerAddress.description == "threshold.peers[party_id=3].address")
        #expect(KeyPath(keys: "a.b", "c d", "e").description == "\"a.b\".\"c d\".e")
        #expect(KeyPath([.key("limits"), .position(2)]).description == "limits[2]")
        #expect(KeyPath(keys: "a\nb", "q\"", "\u{1}").description == #""a\nb"."q\""."\u0001""#)
    }

    @Test("matching is linear: repeated ** on a 401-deep key path that cannot match returns at once")
    func noExponentialMatching() throws {
        let deep = KeyPath(Array(repeating: KeyPath.Segment.key("a"), count: 401))
        // Exponential for a backtracking matcher (it ran over 60 s); parts × segments here.
        #expect(!(try KeyPathPattern("**.**.**.**.**.**.b")).matches(deep))
        #expect(try KeyPathPattern("**.**.**.a").matches(deep))
        #expect(try KeyPathPattern("a.**.a").matches(deep))
        #expect(!(try KeyPathPattern("b.**")).matches(deep))
    }

    @Test("an over-long pattern is refused")
    func tooLong() {
        #expect(throws: DriftCoreError.self) { try KeyPathPattern(String(repeating: "a.", count: 600) + "b") }
    }
}
