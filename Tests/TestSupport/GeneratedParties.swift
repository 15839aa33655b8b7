/// Party configurations from the workload generator (`bench/gen_workload.py` in the shared data), generated
/// once per test process and shared by every suite that needs them.
public enum GeneratedParties {
    /// The 13 server-style party configs (threshold 4), party 1 first.
    public static let serverConfigs: Result<[String], any Error> = Result {
        try (1...13).map {
            try WorkloadGenerator.text(["party", "--style", "server", "--party", String($0)])
        }
    }

    /// The operators' guide's style of the same configuration.
    public static let guideConfig: Result<String, any Error> = Result {
        try WorkloadGenerator.text(["party", "--style", "guide"])
    }

    /// Writes a party's directory at `relative` in `directory`: its generated server-style config
    /// as `kms-server.toml` (a network of `parties` with `threshold`) and every peer's certificate
    /// as `certs/cert_pN.pem`, from `certificate(N)`. Returns the config's path.
    @discardableResult
    public static func writeDirectory(
        _ relative: String, in directory: TemporaryDirectory, party: Int, parties: Int, threshold: Int,
        certificate: (Int) -> String
    ) throws -> String {
        let path = try directory.write(
            relative + "/kms-server.toml",
            try WorkloadGenerator.text([
                "party", "--party", "\(party)", "--parties", "\(parties)", "--threshold", "\(threshold)",
                "--style", "server",
            ]))
        for peer in 1...parties {
            try directory.write(relative + "/certs/cert_p\(peer).pem", certificate(peer))
        }
        return path
    }
}
