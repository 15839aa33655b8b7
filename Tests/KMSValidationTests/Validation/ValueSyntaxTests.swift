import DriftCore
import Testing

@testable import KMSValidation

/// The formats kms-server's libraries parse: `Url::parse` (WHATWG), `to_socket_addrs` with
/// glibc's getaddrinfo, Rust's `SocketAddr`, `hex::serde` and alloy's `Address`.
@Suite("validate: URL, address and hex syntax")
struct ValueSyntaxTests {
    @Test(
        "URLs kms-server accepts, with the scheme and host the parser finds",
        arguments: [
            ("http://dev-s3-mock:9000", "http", "dev-s3-mock"),
            ("https://s3.eu-west-3.amazonaws.com", "https", "s3.eu-west-3.amazonaws.com"),
            ("HTTP://Minio:9000/path?q#f", "http", "minio"), ("http://127.0.0.1:4566", "http", "127.0.0.1"),
            ("http://[::1]:4566", "http", "[::1]"), ("http:minio:9000", "http", "minio"),
            (" http://a ", "http", "a"),
            ("http://user:pw@host:1", "http", "host"), ("http://0x7f.1", "http", "0x7f.1"),
        ])
    func urlAccepted(text: String, scheme: String, host: String) {
        #expect(URLSyntax.parse(text) == .success(.init(scheme: scheme, host: host)))
    }

    @Test(
        "a URL without an authority is accepted with its odd scheme",
        arguments: ["localhost:9000", "minio:9000", "s3:bucket"])
    func urlOpaque(text: String) throws {
        let parsed = try URLSyntax.parse(text).get()
        #expect(parsed.host == nil)
        #expect(parsed.scheme == String(text.prefix { $0 != ":" }))
    }

    @Test(
        "URLs Url::parse refuses",
        arguments: [
            ("http://", URLSyntax.Failure.emptyHost), ("https://:9000", .emptyHost),
            ("127.0.0.1:9000", .noScheme),
            ("dev-s3-mock", .noScheme), ("", .noScheme), ("http://host:70000", .invalidPort),
            ("http://host:9x", .invalidPort),
            ("http://1.2.3.256", .invalidIPv4), ("http://[::g]", .invalidIPv6),
            ("http://a b", .forbiddenHostCharacter(" ")),
            ("http://a%20b", .forbiddenHostCharacter(" ")),
        ])
    func urlRefused(text: String, failure: URLSyntax.Failure) {
        #expect(URLSyntax.parse(text) == .failure(failure))
    }

    @Test(
        "listen addresses that resolve",
        arguments: [
            ("0.0.0.0", HostSyntax.ListenHost.ipv4(0)), ("127.1", .ipv4(0x7F00_0001)),
            ("::", .ipv6([0, 0, 0, 0, 0, 0, 0, 0])),
            ("[::1]", .ipv6([0, 0, 0, 0, 0, 0, 0, 1])),
            ("fe80::1%eth0", .ipv6([0xFE80, 0, 0, 0, 0, 0, 0, 1])),
            ("Kms-Core-1.", .name("kms-core-1")),
        ])
    func listenHost(text: String, host: HostSyntax.ListenHost) {
        #expect(HostSyntax.listenHost(text) == .success(host))
    }

    @Test(
        "listen addresses that do not resolve, and why",
        arguments: [
            ("0.0.0.0:50100", HostSyntax.ListenAddressProblem.hasPort), ("http://0.0.0.0", .url),
            ("256.0.0.1", .badIPv4), ("1.2.3.4.5", .badIPv4), ("my host", .notAHost), ("[kms]", .notAHost),
            ("a..b", .notAHost),
        ])
    func listenHostRefused(text: String, problem: HostSyntax.ListenAddressProblem) {
        #expect(HostSyntax.listenHost(text) == .failure(problem))
    }

    @Test("two listeners on one port collide on the same address or a covering wildcard")
    func overlap() throws {
        func host(_ text: String) throws -> HostSyntax.ListenHost { try HostSyntax.listenHost(text).get() }
        #expect(HostSyntax.overlap(try host("0.0.0.0"), try host("127.0.0.1")) == true)
        #expect(HostSyntax.overlap(try host("::"), try host("10.0.0.1")) == true)
        #expect(HostSyntax.overlap(try host("0.0.0.0"), try host("::1")) == false)
        #expect(HostSyntax.overlap(try host("127.0.0.1"), try host("127.0.0.2")) == false)
        #expect(HostSyntax.overlap(try host("localhost"), try host("localhost")) == true)
        #expect(HostSyntax.overlap(try host("localhost"), try host("0.0.0.0")) == nil)
    }

    @Test(
        "Rust's SocketAddr: an IP literal and a port",
        arguments: [
            ("0.0.0.0:9646", true), ("[::]:9646", true), ("[fe80::1%2]:1", true), ("localhost:9646", false),
            ("0.0.0.0", false), ("0.0.0.0:70000", false), ("01.2.3.4:1", false), ("::1:9646", false),
        ])
    func socketAddress(text: String, valid: Bool) {
        #expect(HostSyntax.isSocketAddress(text) == valid)
    }

    @Test("hex::serde and Address")
    func hex() {
        #expect(HexSyntax.bytes("00ff") == [0, 255])
        #expect(HexSyntax.bytes("") == [])
        #expect(HexSyntax.bytes("0") == nil)
        #expect(HexSyntax.bytes("0x00") == nil)
        #expect(HexSyntax.isAddress("0x" + String(repeating: "Ab", count: 20)))
        #expect(HexSyntax.isAddress(String(repeating: "00", count: 20)))
        #expect(!HexSyntax.isAddress("0x" + String(repeating: "00", count: 19)))
        #expect(!HexSyntax.isAddress("0X" + String(repeating: "00", count: 20)))
    }
}
