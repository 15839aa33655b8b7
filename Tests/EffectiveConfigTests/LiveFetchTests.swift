import DriftCore
import Foundation
import Testing

@testable import EffectiveConfig

@Suite("The live endpoint")
struct LiveFetchTests {
    static let document = """
        {"service": {"listen_address": "0.0.0.0", "listen_port": 50100, "timeout_secs": 360,
          "grpc_max_message_size": 104857600},
         "telemetry": {"tracing_service_name": "kms-1", "tracing_endpoint": null},
         "threshold": {"my_id": 1, "peers": [{"party_id": 1, "address": "p1", "port": 50001}]},
         "mock_enclave": null}
        """

    @Test(arguments: ["string", "plain"])
    func fetchesConfigServedAsJSONStringOrPlainJSON(_ shape: String) throws {
        try withTemporaryRoot { root in
            let path = try write(Self.document, to: root + "/config.json")
            let server = try ConfigServerFixture(documentPath: path, shape: shape)
            defer { server.stop() }
            let live = try LiveFetch(url: server.url, timeout: .seconds(5)).fetch()
            let file = try live.configFile(named: LiveConfiguration.virtualPath)
            #expect(file.root.value(at: ["service", "listen_port"])?.integerValue == 50100)
            #expect(file.root.value(at: ["threshold", "peers"])?.arrayValue?.count == 1)
            // null is "not set": not in the configuration.
            #expect(file.root.value(at: ["telemetry", "tracing_endpoint"]) == nil)
            #expect(file.root["mock_enclave"] == nil)
            #expect(
                live.origin(at: KeyPath(keys: "threshold", "my_id")) == .live(source: "GET " + server.url))
        }
    }

    @Test func aSlowServerIsATimeoutNamingTheURL() throws {
        try withTemporaryRoot { root in
            let path = try write(Self.document, to: root + "/config.json")
            let server = try ConfigServerFixture(documentPath: path, delay: 3)
            defer { server.stop() }
            #expect {
                try LiveFetch(url: server.url, timeout: .seconds(1)).fetch()
            } throws: { error in
                "\(error)" == "cannot read the running configuration from \(server.url): no answer within 1 s"
            }
        }
    }

    @Test func refusedConnectionAndHTTPErrorsAreClear() throws {
        try withTemporaryRoot { root in
            let path = try write(Self.document, to: root + "/config.json")
            let server = try ConfigServerFixture(documentPath: path)
            let missing = "http://127.0.0.1:\(server.port)/nothing"
            #expect {
                try LiveFetch(url: missing).fetch()
            } throws: { error in
                "\(error)".contains("HTTP status 404")
            }
            server.stop()
            #expect(throws: EffectiveConfigError.self) {
                try LiveFetch(url: server.url, timeout: .seconds(2)).fetch()
            }
        }
    }

    @Test(arguments: [
        ("http://127.0.0.1:9464/config", true), ("http://localhost:9464/config", true),
        ("http://[::1]:9464/config", true),
        ("http://127.8.9.10/config", true), ("http+unix://%2Frun%2Fkms.sock/config", true),
        ("https://127.0.0.1/config", false), ("http://10.0.0.5:9464/config", false),
        ("http://kms.example/config", false),
        ("http://127.0.0.1.evil.example/config", false), ("http://user@10.0.0.1/config", false),
    ])
    func onlyLoopbackOrUnixSocketsWithoutAllowRemote(_ url: String, _ allowed: Bool) {
        let check = { () throws(EffectiveConfigError) in try LiveFetch(url: url).checkPolicy() }
        if allowed {
            #expect(throws: Never.self) { try check() }
        } else {
            #expect(throws: EffectiveConfigError.self) { try check() }
            #expect(throws: Never.self) { try LiveFetch(url: url, allowRemote: true).checkPolicy() }
        }
    }

    @Test func aRedirectIsNeverFollowedAndNamesItsTarget() throws {
        try withTemporaryRoot { root in
            let path = try write(Self.document, to: root + "/config.json")
            // The target would be refused if given directly (https); it must not be reached at all.
            let server = try ConfigServerFixture(
                documentPath: path, extra: ["--redirect", "https://127.0.0.1:1/config"])
            defer { server.stop() }
            #expect {
                try LiveFetch(url: server.url, timeout: .seconds(5)).fetch()
            } throws: { error in
                "\(error)"
                    == "cannot read the running configuration from \(server.url): HTTP status 302 redirects to "
                    + "https://127.0.0.1:1/config; kms-drift follows no redirect: give the final URL"
            }
            #expect(throws: EffectiveConfigError.self) {
                try LiveFetch(url: server.url, timeout: .seconds(5), allowRemote: true).fetch()
            }
        }
    }

    @Test func anEndlessBodyStopsAtTheCapAndSaysSo() throws {
        try withTemporaryRoot { root in
            let path = try write(Self.document, to: root + "/config.json")
            let server = try ConfigServerFixture(documentPath: path, extra: ["--endless"])
            defer { server.stop() }
            #expect {
                try LiveFetch(url: server.url, timeout: .seconds(20), bodyLimit: 1 << 20).fetchBody()
            } throws: { error in
                "\(error)".hasSuffix("the answer is larger than 1 MiB; refused (limit 1 MiB)")
            }
        }
    }

    @Test func aUnixSocketURLReachesTheSocket() throws {
        try withTemporaryRoot { root in
            let path = try write(Self.document, to: root + "/config.json")
            let socket = root + "/kms.sock"
            let server = try ConfigServerFixture(documentPath: path, extra: ["--unix", socket])
            defer { server.stop() }
            let encoded = socket.replacingOccurrences(of: "/", with: "%2F")
            let live = try LiveFetch(url: "http+unix://\(encoded)/config", timeout: .seconds(5)).fetch()
            let file = try live.configFile(named: LiveConfiguration.virtualPath)
            #expect(file.root.value(at: ["service", "listen_port"])?.integerValue == 50100)
        }
    }

    @Test func proxiesInTheEnvironmentAreNotUsed() throws {
        try withTemporaryRoot { root in
            let path = try write(Self.document, to: root + "/config.json")
            let server = try ConfigServerFixture(documentPath: path)
            defer { server.stop() }
            // A proxy that does not exist: were it used, the fetch would fail.
            setenv("http_proxy", "http://127.0.0.1:1", 1)
            setenv("ALL_PROXY", "http://127.0.0.1:1", 1)
            defer {
                unsetenv("http_proxy")
                unsetenv("ALL_PROXY")
            }
            #expect(throws: Never.self) { try LiveFetch(url: server.url, timeout: .seconds(5)).fetch() }
        }
    }

    @Test func bodiesThatAreNotAnObjectAreRefused() {
        #expect(throws: EffectiveConfigError.self) {
            try LiveConfiguration.parse(Array("[1]".utf8), source: "u")
        }
        #expect(throws: EffectiveConfigError.self) {
            try LiveConfiguration.parse(Array("\"[1]\"".utf8), source: "u")
        }
        #expect(throws: EffectiveConfigError.self) {
            try LiveConfiguration.parse(Array("{\"a\": }".utf8), source: "u")
        }
    }
}
