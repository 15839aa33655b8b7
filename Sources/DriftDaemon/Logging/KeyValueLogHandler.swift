import FileSystem
import Logging

/// A swift-log handler that writes `LogLineFormat` lines to stderr with one `write` each, so
/// lines from the daemon and from its hooks' log calls never interleave. Only the executable
/// bootstraps it (`LoggingSystem.bootstrap`); libraries just take a `Logger`.
package struct KeyValueLogHandler: LogHandler {
    package var metadata: Logger.Metadata = [:]
    package var logLevel: Logger.Level = .info
    /// True under systemd (`JOURNAL_STREAM` set): lines carry the `<N>` priority prefix.
    package let journal: Bool
    private let descriptor: Int32

    package init(
        journal: Bool = KeyValueLogHandler.runningUnderJournal(),
        descriptor: Int32 = StandardStream.error.descriptor
    ) {
        self.journal = journal
        self.descriptor = descriptor
    }

    /// journald sets `JOURNAL_STREAM` for a service whose stderr it reads.
    package static func runningUnderJournal() -> Bool {
        guard let value = ProcessEnvironment.value(of: "JOURNAL_STREAM") else { return false }
        return !value.isEmpty
    }

    package subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    package func log(event: LogEvent) {
        let level = event.level
        let message = event.message
        let explicit = event.metadata
        let merged = metadata.merging(explicit ?? [:]) { _, new in new }
        let text =
            LogLineFormat.line(
                level: level, message: message.description, metadata: merged, journal: journal,
                time: journal ? "" : EventPayload.timestamp()) + "\n"
        POSIX.writeAll(descriptor, Array(text.utf8))
    }
}
