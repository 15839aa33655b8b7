import Foundation
import TestSupport

/// What "The network's agreement" in the README says exists before its commands run: every peer's
/// certificate on the node, the coordinator's keyring, and parties 2–4's statements (made from the
/// GitOps reference, the configuration the network agreed on) in `statements/`.
enum NetworkReadmePreparation {
    static func prepare(_ sandbox: ReadmeSandbox) throws {
        let directory = sandbox.directory
        for peer in 1...13 {
            try directory.write("etc/kms/certs/cert_p\(peer).pem", NetworkCommandTests.certificate(peer))
        }
        let reference = try directory.readText("srv/gitops/kms-node/kms-server.toml")
        let header = "network = \"zama-mainnet\"\nsalt = \"\(String(repeating: "5e", count: 32))\"\n"
        var others = ""
        try directory.makeDirectory("keys")
        try directory.makeDirectory("statements")
        for party in 2...4 {
            let config = reference.replacingOccurrences(of: "my_id = 1", with: "my_id = \(party)")
            guard config != reference else {
                throw SandboxError(reason: "the reference no longer sets my_id = 1")
            }
            try directory.write("party\(party)/kms-server.toml", config)
            for peer in 1...13 {
                try directory.write(
                    "party\(party)/certs/cert_p\(peer).pem", NetworkCommandTests.certificate(peer))
            }
            try run(["keygen", "--output", "keys/party\(party).key"], in: directory)
            others += "[[party]]\nparty_id = \(party)\npublic_key_file = \"keys/party\(party).key.pub\"\n"
        }
        // Parties 2–4 state their configs before party 1's key exists (the README's first line writes it).
        try directory.write("others.toml", header + others)
        for party in 2...4 {
            try run(
                [
                    "statement", "kms-server.toml", "--workdir", "party\(party)", "--key",
                    "keys/party\(party).key", "--keyring", "others.toml", "--sequence", "1", "--output",
                    "statements/party\(party).json",
                ], in: directory)
        }
        try directory.write(
            "keyring.toml",
            header + "[[party]]\nparty_id = 1\npublic_key_file = \"party1.key.pub\"\n" + others)
    }

    private static func run(_ arguments: [String], in directory: TemporaryDirectory) throws {
        let result = try CLI.run(arguments, currentDirectory: directory.url)
        guard result.status == 0 else {
            throw SandboxError(reason: "kms-drift \(arguments.joined(separator: " ")): \(result.stderr)")
        }
    }
}
