import ArgumentParser
import SigningKeys
import SnapshotStore

extension KMSDrift {
    /// `kms-drift keygen`: the Ed25519 key pair that signs the hash chain.
    struct Keygen: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "keygen",
            abstract: "Write a new Ed25519 key pair for signing the history's chain ([store] signing_key).",
            discussion: """
                Writes the private key to FILE and the public key to FILE.pub, both mode 0400 and in PEM \
                (openssl reads them); an existing file is never overwritten. Give the private key to the \
                daemon's user only; keep the public key off the node too: verify --public-key FILE.pub.
                """)

        @Option(name: .long, help: "Where to write the private key.", completion: .file())
        var output: String = "/etc/kms-drift/signing.key"

        func run() throws {
            let (_, publicPath) = try ChainSigningKey.generate(path: output)
            Terminal.writeOutput(
                "wrote the private key \(output) and the public key \(publicPath) (both 0400)\n"
                    + "next: set [store] signing_key = \"\(output)\", make it readable by the daemon's user only "
                    + "(chown kms-drift \(output)), and keep a copy of \(publicPath) off the node\n")
        }
    }
}
