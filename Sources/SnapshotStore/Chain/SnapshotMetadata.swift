import FileSystem

/// What took a snapshot.
package enum SnapshotOrigin: String, Sendable, CaseIterable, Hashable {
    /// A cycle of `kms-drift daemon`.
    case daemon
    /// `kms-drift snapshot` (cron, a systemd timer, a person).
    case snapshot
    /// The state saved by `kms-drift restore` before it wrote anything.
    case restore
    /// `kms-drift import` of an exported snapshot.
    case `import`
    /// `kms-drift baseline take`: a snapshot taken to become the baseline.
    case baseline
    /// A snapshot recorded before kms-drift kept metadata.
    case unknown
}

/// Where, by what and why a snapshot was taken: the `backup-info.txt` of the operators' guide,
/// kept with the snapshot and covered by its chain hash.
///
/// `nil` fields read as "unknown": snapshots recorded before kms-drift kept metadata have none.
package struct SnapshotMetadata: Sendable, Hashable {
    package var hostName: String?
    /// The content of `/etc/machine-id`: tells two hosts of the same name apart.
    package var machineID: String?
    /// The kms-drift version that took the snapshot.
    package var toolVersion: String?
    package var origin: SnapshotOrigin
    /// The operator's `--note`.
    package var note: String?
    /// The network fingerprint (`kms-drift fingerprint`) of the watched kms-server config, when
    /// `[validate] kms_config` names one and it parsed.
    package var networkFingerprint: String?

    package init(
        hostName: String? = nil, machineID: String? = nil, toolVersion: String? = nil,
        origin: SnapshotOrigin = .unknown, note: String? = nil, networkFingerprint: String? = nil
    ) {
        self.hostName = Self.nonEmpty(hostName)
        self.machineID = Self.nonEmpty(machineID)
        self.toolVersion = Self.nonEmpty(toolVersion)
        self.origin = origin
        self.note = Self.nonEmpty(note)
        self.networkFingerprint = Self.nonEmpty(networkFingerprint)
    }

    /// This host, this build, and what is taking the snapshot.
    package static func current(origin: SnapshotOrigin, note: String? = nil) -> SnapshotMetadata {
        SnapshotMetadata(
            hostName: POSIX.hostName(), machineID: machineIdentifier(), toolVersion: KMSDriftVersion.current,
            origin: origin, note: note)
    }

    /// The first line of `/etc/machine-id`, or `nil` when the file is missing or empty.
    static func machineIdentifier(path: String = "/etc/machine-id") -> String? {
        guard let bytes = try? FileContents.read(path) else { return nil }
        let line = bytes.prefix { $0 != UInt8(ascii: "\n") && $0 != UInt8(ascii: "\r") }
        return String(validating: line, as: UTF8.self).flatMap { nonEmpty($0.trimmingSpaces) }
    }

    /// Empty text is no value: a chain serialisation must not tell `""` from absent.
    static func nonEmpty(_ text: String?) -> String? {
        guard let text, !text.isEmpty else { return nil }
        return text
    }
}

/// The version of this build of kms-drift, recorded in every snapshot's metadata.
package enum KMSDriftVersion {
    package static let current = "0.1.0"
}

extension String {
    fileprivate var trimmingSpaces: String {
        var scalars = Substring(self)
        while let first = scalars.first, first == " " || first == "\t" { scalars.removeFirst() }
        while let last = scalars.last, last == " " || last == "\t" { scalars.removeLast() }
        return String(scalars)
    }
}
