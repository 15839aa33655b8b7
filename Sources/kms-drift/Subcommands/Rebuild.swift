import ArgumentParser
import DriftOperations

extension KMSDrift {
    /// `kms-drift rebuild EXPORT…`: a node brought back from its backups in one pass.
    struct Rebuild: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "rebuild",
            abstract:
                "Rebuild a node from its exports: import them, restore the newest, make it the baseline.",
            discussion: """
                For a new machine with an empty watched directory. The exports (one store's, from its [backup] \
                directory) are checked completely and imported oldest first, each marked import with its own \
                snapshot id, host and time in its note; the newest one's files are restored into the watched \
                directory with their modes and owners (computed @effective/ and @live/ files never are); when \
                the store has no baseline, the newest becomes it. The daemon's next cycle then compares the \
                directory with it. Exit status: 0 rebuilt, 2 refused or failed.
                """)

        @OptionGroup var location: StoreOptions

        @Argument(
            help: "The exports to bring back: the newest, and older ones of the same store for history.")
        var exports: [String]

        @Option(name: .long, help: "An age identity file that decrypts the exports (repeatable).")
        var identity: [String] = []

        @Flag(name: .long, help: "Restore setuid, setgid and sticky bits as recorded.")
        var keepSpecialBits = false

        func validate() throws {
            if exports.isEmpty { throw ValidationError("give the export(s) to rebuild from") }
            if exports.contains("-") {
                throw ValidationError(
                    "rebuild reads each export twice (its manifest, then all of it): give a file, not -")
            }
        }

        func run() throws {
            let configuration = try location.configuration(requireDirectory: true)
            var rebuild = NodeRebuildOperation(configuration: configuration, exports: exports)
            rebuild.identityFiles = identity
            rebuild.keepSpecialBits = keepSpecialBits
            let result = try rebuild.run(openStore: { try location.openStore(configuration) })
            Terminal.writeOutput(PortableText.render(result))
            try Diagnostics.exit(with: result.exitStatus)
        }
    }
}
