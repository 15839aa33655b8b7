import DriftCore
import KMSValidation
import SnapshotStore

/// `kms-drift snapshot --format json`: one cycle as exactly one JSON document (schema
/// `kms-drift.snapshot/1`), so that stdout can be piped into a JSON parser as it is.
///
/// ```json
/// {"schema": "kms-drift.snapshot/1",
///  "snapshot": {"id": 12, "files": 14, "read": 1, "unchanged": 13, "bytes": 4200,
///               "baseline_created": false, "rotated_out": [3], "skipped": [{"path": "p", "type": "FIFO"}],
///               "hash_only": ["big.bin"], "vanished": ["a.toml"]},
///  "report": {"schema": "kms-drift.report/1", …} | null,
///  "validation": [ {"severity", "path", "file", "line", "column", "message", "fix"} ],
///  "problems": ["cannot read /etc/kms/key.pem: Permission denied; …"],
///  "exit_status": 1}
/// ```
/// `snapshot` is `null` when the snapshot itself failed (`problems` says why); `report` is `null`
/// when the comparison failed.
package enum CycleRunJSON {
    package static func render(_ run: CycleRun, secrets: SecretPolicy) -> String {
        var writer = JSONWriter()
        writer.beginObject()
        writer.key("schema")
        writer.string("kms-drift.snapshot/1")
        writer.key("snapshot")
        if let outcome = run.outcome {
            write(outcome, into: &writer)
        } else {
            writer.raw("null")
        }
        writer.key("report")
        if let report = run.outcome?.report {
            JSONReportRenderer(formatter: ValueFormatter(secrets: secrets)).write(report, into: &writer)
        } else {
            writer.raw("null")
        }
        writer.key("validation")
        writer.beginArray()
        for finding in run.outcome?.validation ?? [] {
            ValidationReportRenderer.write(finding, into: &writer)
        }
        writer.endArray()
        writer.key("problems")
        writer.beginArray()
        for problem in run.problems { writer.string(problem) }
        writer.endArray()
        writer.key("exit_status")
        writer.number(Int(run.exitStatus.rawValue))
        writer.endObject()
        return writer.output + "\n"
    }

    private static func write(_ outcome: CycleOutcome, into writer: inout JSONWriter) {
        let snapshot = outcome.snapshot
        writer.beginObject()
        writer.key("id")
        writer.raw(String(snapshot.id.rawValue))
        writer.key("files")
        writer.number(snapshot.fileCount)
        writer.key("read")
        writer.number(snapshot.filesRead)
        writer.key("unchanged")
        writer.number(snapshot.filesReused)
        writer.key("bytes")
        writer.raw(String(snapshot.totalSize))
        writer.key("stored")  // false: nothing changed, `id` is the snapshot this cycle confirmed
        writer.raw(snapshot.isUnchanged ? "false" : "true")
        writer.key("baseline_created")
        writer.raw(outcome.baselineCreated ? "true" : "false")
        writer.key("rotated_out")
        writer.beginArray()
        for id in snapshot.rotation?.deletedSnapshots ?? [] { writer.raw(String(id.rawValue)) }
        writer.endArray()
        writer.key("skipped")
        writer.beginArray()
        for skipped in snapshot.skipped {
            writer.beginObject()
            writer.key("path")
            writer.string(skipped.path)
            writer.key("type")
            writer.string(skipped.type)
            writer.endObject()
        }
        writer.endArray()
        writer.key("hash_only")
        writer.beginArray()
        for path in snapshot.oversizedFiles { writer.string(path) }
        writer.endArray()
        writer.key("vanished")
        writer.beginArray()
        for problem in snapshot.problems {
            if case .vanished = problem.kind { writer.string(problem.path) }
        }
        writer.endArray()
        writer.endObject()
    }
}
