import ArgumentParser
import DriftOperations
import SnapshotStore

extension KMSDrift {
    /// `kms-drift export SNAP`: a snapshot as a portable, encrypted archive.
    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "export",
            abstract: "Write a snapshot as a tar archive (zstd, age-encrypted) that survives the host.",
            discussion: """
                The archive is a POSIX tar whose first entry is kms-drift-manifest.json (metadata, chain link, \
                every file's SHA-256), then the files with their modes, owners, symlinks and mtimes, compressed \
                with zstd (--no-compress for a plain tar). With --recipient it is encrypted in the age format: \
                age -d -i key.txt FILE | tar --zstd -x. Without a recipient, a snapshot holding secrets \
                (private keys, passwords) is refused unless --plain is given.
                """)

        @OptionGroup var location: StoreOptions

        @Argument(help: "The snapshot: #12, 12, latest or baseline.")
        var snapshot: SnapshotReference

        @Option(
            name: .long,
            help:
                "Where to write it (- for standard output); default <host>-<store>-<chain>-<time>.tar.zst[.age] here.",
            completion: .file())
        var output: String?

        @Option(name: .long, help: "An age recipient (age1…, from age-keygen) to encrypt to (repeatable).")
        var recipient: [String] = []

        @Option(
            name: .long, help: "A file of age recipients, one per line (as age -R reads).",
            completion: .file())
        var recipientsFile: [String] = []

        @Flag(name: .long, help: "Write an unencrypted archive even though the snapshot holds secrets.")
        var plain = false

        @Flag(name: .long, help: "Write a plain tar, not zstd-compressed.")
        var noCompress = false

        func run() throws {
            let configuration = try location.configuration(requireDirectory: false)
            var export = SnapshotExport(configuration: configuration, snapshot: snapshot)
            export.output = output
            export.recipients = recipient
            export.recipientFiles = recipientsFile
            export.allowPlainSecrets = plain
            export.compress = !noCompress
            let result = try export.run(openStore: { try location.openStore(configuration) })
            // With the archive on standard output, the summary goes to standard error.
            if result.isOnStandardOutput {
                Terminal.writeError(PortableText.render(result))
            } else {
                Terminal.writeOutput(PortableText.render(result))
            }
            try Diagnostics.exit(with: result.exitStatus)
        }
    }

    /// `kms-drift import FILE`: an export added to the history.
    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "import",
            abstract: "Check an export completely and add it to the history as a new snapshot.",
            discussion: """
                Reads what kms-drift export wrote (plain, zstd or age-encrypted; - for standard input). Every \
                file is checked against the manifest's SHA-256 and the manifest against its chain link before \
                anything is kept; the snapshot is then chained after the history's head, marked import.

                Refused with nothing kept: a manifest above 8 MiB, more manifest entries than files in the \
                archive, more than 10 KiB after the archive's end, a file above [watch] max_file_size, a path \
                below a symlink or a file. --public-key checks the link's signature; without it, import says \
                whether the export was signed.

                Exit status: 0 imported, 2 refused (nothing was added).
                """)

        @OptionGroup var location: StoreOptions

        @Argument(help: "The export file, or - for standard input.", completion: .file())
        var file: String

        @Option(
            name: .long, help: "An age identity file (age-keygen's key.txt) that decrypts it (repeatable).",
            completion: .file())
        var identity: [String] = []

        @Option(name: .long, help: "A note kept with the imported snapshot.")
        var note: String?

        @Option(
            name: .long,
            help:
                "The chain's public key (signing.key.pub): refuse the export unless its link is signed with it."
        )
        var publicKey: String?

        func run() throws {
            let configuration = try location.configuration(requireDirectory: false)
            var operation = SnapshotImport(configuration: configuration, file: file)
            operation.identityFiles = identity
            operation.note = note
            operation.publicKeyPath = publicKey
            let result = try operation.run(openStore: { try location.openStore(configuration) })
            Terminal.writeOutput(PortableText.render(result))
            try Diagnostics.exit(with: result.exitStatus)
        }
    }
}
