import DriftCore
import TOML
import TestSupport
import Testing

@testable import KMSValidation

/// Small configs and lookups shared by the validation tests.
enum ValidationFixtures {
    /// A valid 4-party (t = 1) kms-server config; tests append to it or replace lines in it.
    static let minimal = """
        [service]
        listen_address = "0.0.0.0"
        listen_port = 50100
        timeout_secs = 360
        grpc_max_message_size = 104857600

        [threshold]
        listen_address = "0.0.0.0"
        listen_port = 50001
        my_id = 1
        threshold = 1
        dec_capacity = 10000
        min_dec_cache = 6000
        decryption_mode = "NoiseFloodSmall"

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

        [[threshold.peers]]
        party_id = 4
        address = "p4"
        port = 50001

        """

    static func validate(_ text: String, environment: DeploymentEnvironment? = nil) throws -> [Finding] {
        let config = ConfigFile(path: "test.toml", root: try parseTOML(text))
        return KMSConfigValidator(environment: environment).validate(config).findings
    }

    /// The 1-based line of the first line of `text` that contains `needle`.
    static func line(of needle: String, in text: String) -> Int? {
        text.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.contains(needle) }.map {
            $0 + 1
        }
    }
}

extension Array where Element == Finding {
    /// The findings about exactly this key path.
    func at(_ path: String) -> [Finding] { filter { $0.path.description == path } }
}
