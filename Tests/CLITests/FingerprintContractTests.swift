import Foundation
import TestSupport
import Testing

/// The README's description of the fingerprint is the contract thirteen organisations hash by.
/// `scripts/fingerprint_v1.py` implements that text alone, in Python with tomllib; the binary
/// must print the same line for real and generated configs.
@Suite("fingerprint: the README's text is what is hashed", .temporaryDirectory)
struct FingerprintContractTests {
    static let script = TestPaths.packageRoot.appendingPathComponent("scripts/fingerprint_v1.py").path

    func both(_ path: String) throws -> (binary: String, readme: String) {
        let binary = try CLI.run(["fingerprint", path])
        #expect(binary.status == 0, "\(binary.stderr)")
        let python = try runProcess("/usr/bin/env", ["python3", Self.script, path])
        #expect(python.status == 0, "\(python.stderr)")
        return (binary.stdout, python.stdout)
    }

    @Test(
        "corpus kms-server configs",
        .enabled(if: Probe.hasPythonTomllib, "python3 with tomllib (3.11+) is needed"))
    func corpus() throws {
        let corpus = TestPaths.shared.appendingPathComponent("corpus/kms")
        let files = try FileManager.default.contentsOfDirectory(atPath: corpus.path)
            .filter { $0.hasPrefix("core__service__config__") && $0.hasSuffix(".toml") }.sorted()
        #expect(files.count >= 6)
        for file in files {
            let (binary, readme) = try both(corpus.appendingPathComponent(file).path)
            #expect(binary == readme, "\(file)")
        }
    }

    @Test(
        "13 generated parties in both formats, and one value of every kind",
        .enabled(if: Probe.hasPythonTomllib, "python3 with tomllib (3.11+) is needed"))
    func generated() throws {
        let directory = try TemporaryDirectory.current()
        var lines = Set<String>()
        for party in 1...13 {
            for style in ["server", "guide"] {
                let text = try WorkloadGenerator.text(["party", "--party", String(party), "--style", style])
                let path = try directory.write("party\(party)-\(style).toml", text)
                let (binary, readme) = try both(path)
                #expect(binary == readme, "party \(party) \(style)")
                if style == "server" { lines.insert(binary) }
            }
        }
        #expect(lines.count == 1, "the 13 parties share one fingerprint")
        // Escapes, unicode, floats, nested tables, arrays of tables, a quoted key.
        let tricky = try directory.write(
            "tricky.toml",
            """
            [threshold]
            threshold = 1
            decryption_mode = "a\\"b\\\\c\\td\\u0001é"
            [[threshold.peers]]
            party_id = 2
            address = "p2"
            tls_cert = { path = "/x", "odd key" = 1.5 }
            [[threshold.peers]]
            party_id = 1
            address = "p1"
            weights = [0.1, 1e20, -0.0, 3]
            [threshold.tls.auto]
            trusted_releases = [{ pcr0 = "00", pcr1 = "11" }]
            [rate_limiter_conf]
            bucket_size = 10
            nested = { b = true, a = [1, 2] }
            [internal_config]
            x = "y"
            """)
        let (binary, readme) = try both(tricky)
        #expect(binary == readme)
    }
}
