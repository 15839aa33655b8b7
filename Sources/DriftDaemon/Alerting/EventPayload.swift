import DriftCore
import DriftOperations
import FileSystem
import KMSValidation
import SnapshotStore

/// One event as JSON (`kms-drift.event/1`): what hooks read on stdin and what the event log
/// file holds, one object per line. Values under secret keys are fingerprinted by the same
/// `SecretPolicy` as every other output.
package struct EventPayload: Sendable {
    package static let schema = "kms-drift.event/1"

    package let event: DriftEvent
    /// RFC 3339, UTC, second precision.
    package let time: String
    package let host: String

    package init(
        event: DriftEvent, time: String = EventPayload.timestamp(), host: String = EventPayload.hostName()
    ) {
        self.event = event
        self.time = time
        self.host = host
    }

    /// The payload on one line (no newline at the end).
    package func json(secrets: SecretPolicy = SecretPolicy()) -> String {
        var writer = JSONWriter(pretty: false)
        writer.beginObject()
        writer.key("schema")
        writer.string(Self.schema)
        writer.key("event")
        writer.string(event.kind.rawValue)
        writer.key("time")
        writer.string(time)
        writer.key("host")
        writer.string(host)
        writer.key("snapshot")
        writer.raw(event.snapshot.map { String($0.rawValue) } ?? "null")
        let report = event.report
        writer.key("summary")
        JSONReportRenderer.writeSummary(report, into: &writer)
        writer.key("max_severity")
        writer.optionalString((report?.maximumSeverity ?? event.severity)?.rawValue)
        writer.key("key_paths")
        writer.beginArray()
        for path in report?.mostSevereKeyPaths() ?? [] { writer.string(path) }
        writer.endArray()
        writer.key("report")
        if let report {
            JSONReportRenderer(formatter: ValueFormatter(secrets: secrets)).write(report, into: &writer)
        } else {
            writer.raw("null")
        }
        writer.key("findings")
        writer.beginArray()
        for finding in event.findings.sortedByPosition() {
            ValidationReportRenderer.write(finding, into: &writer)
        }
        writer.endArray()
        writer.key("error")
        writer.optionalString(event.kind == .error ? event.message : nil)
        writer.key("message")
        writer.optionalString(event.kind == .error ? nil : event.message)
        writer.key("recovered")
        writer.optionalString(event.recovered?.name)
        writer.key("resolved")
        if case .problem(let problem) = event.recovered {
            writer.string(problem.message)
        } else {
            writer.raw("null")
        }
        writer.endObject()
        return writer.output
    }

    /// The `KMS_DRIFT_*` variables a hook receives beside the JSON.
    package var environment: [String: String] {
        [
            "KMS_DRIFT_EVENT": event.kind.rawValue,
            "KMS_DRIFT_SNAPSHOT": event.snapshot.map { String($0.rawValue) } ?? "",
            "KMS_DRIFT_SEVERITY": event.report?.maximumSeverity?.rawValue
                ?? (event.kind == .error || event.kind == .violation ? "error" : ""),
            "KMS_DRIFT_CHANGES": String(event.report?.changeCount ?? event.findings.errorCount),
        ]
    }

    /// Now, as `2026-11-25T09:30:00Z`.
    package static func timestamp(seconds: Int64 = POSIX.wallClockSeconds()) -> String {
        POSIX.utcTimestamp(seconds: seconds)
    }

    /// This machine's host name, as hooks and the journal know it.
    package static func hostName() -> String { POSIX.hostName() }
}
