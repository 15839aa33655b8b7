import Foundation

/// SQL that turns a current database back into what kms-drift wrote at `version` (1 or 2), for
/// migration tests: no chain marks (7), no check marks, previous baseline or store identity (6), no
/// chain (5), no stored comparisons (4), no owners, directory states, manifest digests or store keys
/// (3), and for version 1 no alert state (2).
public func downgradeSQL(toVersion version: Int) -> String {
    precondition(version == 1 || version == 2, "only versions 1 and 2 predate the current schema")
    return (version == 1 ? "DROP TABLE alert_state;\n" : "")
        + """
        ALTER TABLE snapshots DROP COLUMN checked_at_ns;
        ALTER TABLE snapshots DROP COLUMN unchanged_checks;
        ALTER TABLE baseline DROP COLUMN previous_snapshot_id;
        ALTER TABLE baseline DROP COLUMN previous_reason;
        DROP TABLE comparisons;
        DROP TABLE chain_marks;
        DROP TABLE chain_links;
        DROP TABLE store_keys;
        DELETE FROM entries WHERE state_id IN (SELECT id FROM file_states WHERE kind = 4);
        DELETE FROM file_states WHERE kind = 4;
        ALTER TABLE file_states DROP COLUMN uid;
        ALTER TABLE file_states DROP COLUMN gid;
        ALTER TABLE snapshots DROP COLUMN manifest_digest;
        PRAGMA user_version = \(version);
        """
}
