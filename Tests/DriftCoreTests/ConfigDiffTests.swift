import Foundation
import TOML
import Testing

@testable import DriftCore

@Suite("Semantic diff")
struct ConfigDiffTests {
    static let peers = """
        [threshold]
        threshold = 1
        [[threshold.peers]]
        party_id = 1
        address = "p1"
        port = 50001
        [[threshold.peers]]
        party_id = 2
        address = "p2"
        port = 50001
        [[threshold.peers]]
        party_id = 3
        address = "p3"
        port = 50001
        """

    @Test("spelling is not drift: comments, order, quoting, number bases, dotted keys, inline tables")
    func spellingIsNotDrift() throws {
        let reference = """
            # node config
            [service]
            listen_address = "0.0.0.0"
            listen_port = 50100
            grpc_max_message_size = 104857600
            [private_vault.storage.file]
            path = "./keys"
            [telemetry]
            batch = { max_queue_size = 8192 }
            limits = [1, 2, 3]
            ratio = 2.0
            """
        let current = """
            telemetry.ratio = 2e0
            telemetry.limits = [ 1, 0x2, 0o3 ]   # spelled otherwise
            private_vault = { storage = { file = { path = './keys' } } }

            [service]
            grpc_max_message_size = 104_857_600
            listen_port=50100
            "listen_address" = '0.0.0.0'

            [telemetry.batch]
            max_queue_size = 8_192
            """
        #expect(try Fixtures.diff(reference, current).isEmpty)
    }

    @Test("types matter: an integer port is not a string port")
    func typesMatter() throws {
        let differences = try Fixtures.diff("port = 50001", "port = \"50001\"")
        let difference = try #require(differences.first)
        #expect(differences.count == 1)
        #expect(difference.kind == .typeChanged)
        #expect(difference.oldValue?.typeName == "integer")
        #expect(difference.newValue?.typeName == "string")
        #expect(try Fixtures.diff("x = 1", "x = 1.0").count == 1)
    }

    @Test("a key moved to another table is a removal and an addition")
    func movedKey() throws {
        let differences = try Fixtures.diff(
            "[service]\nlisten_port = 1\n[threshold]\nx = 1\n",
            "[service]\n[threshold]\nx = 1\nlisten_port = 1\n")
        #expect(differences.map(\.kind) == [.removed, .added])
        #expect(differences.map(\.path.description) == ["service.listen_port", "threshold.listen_port"])
    }

    @Test("peers are matched by party_id: reordering is not drift")
    func reorderedPeers() throws {
        let reordered = """
            [threshold]
            threshold = 1
            [[threshold.peers]]
            party_id = 3
            address = "p3"
            port = 50001
            [[threshold.peers]]
            port = 50001
            party_id = 1
            address = "p1"
            [[threshold.peers]]
            party_id = 2
            address = "p2"
            port = 50001
            """
        #expect(try Fixtures.diff(Self.peers, reordered).isEmpty)
    }

    @Test("removing party 2 is one change, named by its party_id, critical")
    func removedPeer() throws {
        let without2 = Self.peers.replacingOccurrences(
            of: "[[threshold.peers]]\nparty_id = 2\naddress = \"p2\"\nport = 50001\n", with: "")
        let differences = try Fixtures.diff(Self.peers, without2)
        let difference = try #require(differences.first)
        #expect(differences.count == 1)
        #expect(difference.kind == .removed)
        #expect(difference.path.description == "threshold.peers[party_id=2]")
        #expect(difference.severity == .critical)
    }

    @Test("a changed peer address names the peer, both lines, and is critical")
    func changedPeerAddress() throws {
        let moved = Self.peers.replacingOccurrences(
            of: "address = \"p3\"", with: "address = \"p3.example.org\"")
        let differences = try Fixtures.diff(Self.peers, "\n\n" + moved)
        let difference = try #require(differences.first)
        #expect(differences.count == 1)
        #expect(difference.path.description == "threshold.peers[party_id=3].address")
        #expect(difference.oldLocation?.line == 13)
        #expect(difference.newLocation?.line == 15)
        #expect(difference.severity == .critical)
    }

    @Test("arrays of tables without a unique identity are matched by position")
    func positionalTables() throws {
        let differences = try Fixtures.diff(
            "[[r]]\npcr0 = \"a\"\n[[r]]\npcr0 = \"b\"\n", "[[r]]\npcr0 = \"a\"\n[[r]]\npcr0 = \"c\"\n")
        #expect(differences.map(\.path.description) == ["r[1].pcr0"])
    }

    @Test("plain arrays compare by position as one value")
    func plainArrays() throws {
        #expect(try Fixtures.diff("a = [1, 2]", "a = [2, 1]").map(\.kind) == [.changed])
        #expect(try Fixtures.diff("a = [1, 2]", "a = [1, 2]").isEmpty)
    }

    @Test("floats: nan equals nan, -0.0 equals 0.0; date-times by instant")
    func floatsAndDates() throws {
        #expect(try Fixtures.diff("x = nan", "x = +nan").isEmpty)
        #expect(try Fixtures.diff("x = -0.0", "x = 0.0").isEmpty)
        #expect(try Fixtures.diff("t = 1979-05-27T07:32:00Z", "t = 1979-05-27T00:32:00-07:00").isEmpty)
        #expect(try Fixtures.diff("t = 1979-05-27T07:32:00", "t = 1979-05-27T07:32:00Z").count == 1)
        #expect(try Fixtures.diff("d = 1979-05-27", "d = 1979-05-28").count == 1)
    }

    @Test("strings compare by exact scalars")
    func strings() throws {
        #expect(try Fixtures.diff("s = \"\\u00e9\"", "s = \"e\\u0301\"").count == 1)
        #expect(try Fixtures.diff("s = \"\\u00e9\"", "s = 'é'").isEmpty)
    }

    @Test("--ignore patterns drop differences before counting")
    func ignore() throws {
        let reference = "[telemetry]\ntracing_service_name = \"a\"\n[service]\nlisten_port = 1\n"
        let current = "[telemetry]\ntracing_service_name = \"b\"\n[service]\nlisten_port = 2\n"
        #expect(try Fixtures.diff(reference, current).count == 2)
        let kept = try Fixtures.diff(reference, current, ignoring: ["telemetry.*"])
        #expect(kept.map(\.path.description) == ["service.listen_port"])
    }

    @Test(
        "severity comes from the rules table",
        arguments: [
            ("threshold.threshold", Severity.critical), ("threshold.tls.manual.cert.path", .critical),
            ("private_vault.storage.s3.bucket", .critical), ("mock_enclave", .critical),
            ("service.listen_port", .warning), ("rate_limiter_conf.preproc", .warning),
            ("telemetry.tracing_service_name", .info), ("unknown_section.key", .warning),
            ("threshold.peers.tls_cert.path", .critical), ("aws.region", .critical),
        ])
    func severity(path: String, expected: Severity) throws {
        let keyPath = KeyPath(
            path.split(separator: ".").map { part -> KeyPath.Segment in .key(String(part)) })
        #expect(SeverityRules.kms.severity(of: keyPath) == expected)
    }
}
