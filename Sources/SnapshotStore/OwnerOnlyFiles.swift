import FileSystem

/// Files that hold recorded content (the database, its `-wal` and `-shm`; the event log) must be
/// readable by their owner only. kms-drift creates them 0600; one that already exists with a looser
/// mode (copied with `cp`, created by hand, restored from a backup) is tightened to owner-only
/// before anything is written to it, and the caller says so. When it cannot be tightened (another
/// user owns it), kms-drift refuses to use it and says which `chmod` to run.
package enum OwnerOnlyFiles {
    /// Tightens `path` if it exists and is readable or writable by group or others. Returns the
    /// message to show when it did; throws ``SnapshotStoreError/loosePermissions(path:mode:reason:)``
    /// when it could not.
    package static func tighten(_ path: String) throws -> String? {
        guard let status = try? FileStatus.of(path), status.type == .regular else { return nil }
        let mode = status.permissions
        guard mode & 0o077 != 0 else { return nil }
        let tightened = mode & 0o700
        do {
            try FilePermissions.set(tightened, path: path)
        } catch {
            throw SnapshotStoreError.loosePermissions(path: path, mode: mode, reason: error.description)
        }
        return notice(path, from: mode, to: tightened)
    }

    /// The same for an open descriptor (the event log, opened for appending).
    package static func tighten(descriptor: Int32, path: String) throws -> String? {
        guard let status = try? FileStatus.of(descriptor: descriptor), status.type == .regular else {
            return nil
        }
        let mode = status.permissions
        guard mode & 0o077 != 0 else { return nil }
        let tightened = mode & 0o700
        do {
            try FilePermissions.set(tightened, descriptor: descriptor)
        } catch {
            throw SnapshotStoreError.loosePermissions(path: path, mode: mode, reason: error.description)
        }
        return notice(path, from: mode, to: tightened)
    }

    private static func notice(_ path: String, from mode: UInt32, to tightened: UInt32) -> String {
        "\(path) was readable by group or others (mode 0\(String(mode, radix: 8))); made it owner-only "
            + "(0\(String(tightened, radix: 8))): it holds recorded files, private keys included"
    }
}
