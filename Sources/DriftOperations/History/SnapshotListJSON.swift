import DriftCore
import FileSystem
import SnapshotStore

/// `list --format json`, schema `kms-drift.snapshots/1`: one object per held snapshot, newest
/// first, with its marks, metadata (`null` where unknown) and chain hash.
package enum SnapshotListJSON {
    package static func render(_ listing: SnapshotListing.Result) -> String {
        let snapshots = listing.snapshots
        let links = listing.links
        let statuses = listing.statuses
        let database = listing.database
        var json = JSONWriter()
        json.beginObject()
        json.key("schema")
        json.string("kms-drift.snapshots/1")
        json.key("database")
        json.string(database)
        json.key("snapshots")
        json.beginArray()
        for snapshot in snapshots.reversed() {
            let link = links[snapshot.id]
            let metadata = link?.metadata ?? SnapshotMetadata()
            json.beginObject()
            json.key("id")
            json.raw(String(snapshot.id.rawValue))
            json.key("taken_at")
            json.string(
                POSIX.utcTimestamp(seconds: Int64(snapshot.takenAt.timeIntervalSince1970.rounded(.down))))
            json.key("root")
            json.string(snapshot.rootPath)
            json.key("files")
            json.number(snapshot.fileCount)
            json.key("size")
            json.raw(String(snapshot.totalSize))
            json.key("baseline")
            json.raw(snapshot.isBaseline ? "true" : "false")
            json.key("baseline_reason")
            json.optionalString(snapshot.baselineReason)
            json.key("pinned")
            json.raw(snapshot.isPinned ? "true" : "false")
            json.key("previous_baseline")
            json.raw(snapshot.isPreviousBaseline ? "true" : "false")
            json.key("kept_because")
            json.beginArray()
            for reason in snapshot.keptBecause { json.string(reason.description) }
            json.endArray()
            json.key("checked_at")
            json.optionalString(
                snapshot.checkedAt.map {
                    POSIX.utcTimestamp(seconds: Int64($0.timeIntervalSince1970.rounded(.down)))
                })
            json.key("unchanged_checks")
            json.number(snapshot.unchangedChecks)
            json.key("origin")
            json.string(metadata.origin.rawValue)
            json.key("host")
            json.optionalString(metadata.hostName)
            json.key("machine_id")
            json.optionalString(metadata.machineID)
            json.key("version")
            json.optionalString(metadata.toolVersion)
            json.key("note")
            json.optionalString(metadata.note)
            json.key("network_fingerprint")
            json.optionalString(metadata.networkFingerprint)
            json.key("chain")
            json.optionalString(link?.chainHash.description)
            json.key("signed")
            json.raw(link?.signature != nil ? "true" : "false")
            if let statuses {
                json.key("vs_reference")
                json.optionalString(statuses[snapshot.id])
            }
            json.endObject()
        }
        json.endArray()
        json.endObject()
        return json.output + "\n"
    }
}
