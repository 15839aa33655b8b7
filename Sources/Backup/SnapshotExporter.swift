import Age
import CArchive
import FileSystem
import SnapshotStore

/// Where an export goes.
package enum ExportDestination: Sendable, Equatable {
    /// A file, written atomically (temporary file, fsync, rename), mode 0600.
    case file(String)
    /// Standard output (`--output -`), for a pipe to ssh, an object-storage client, `age`…
    case standardOutput

    var name: String {
        switch self {
        case .file(let path): return path
        case .standardOutput: return "standard output"
        }
    }
}

/// How to export.
package struct ExportOptions: Sendable {
    /// age recipients; none writes an unencrypted tar (only with `allowPlainSecrets` when the
    /// snapshot holds secrets).
    package var recipients: [AgeRecipient]
    /// zstd-compress the tar (frames passed through from the store). Off: a plain `.tar`.
    package var compress: Bool
    /// `--plain`: write an unencrypted export even though it holds secrets.
    package var allowPlainSecrets: Bool

    package init(recipients: [AgeRecipient] = [], compress: Bool = true, allowPlainSecrets: Bool = false) {
        self.recipients = recipients
        self.compress = compress
        self.allowPlainSecrets = allowPlainSecrets
    }
}

/// What an export wrote.
package struct ExportResult: Sendable {
    package var snapshot: SnapshotID
    package var chainHash: ContentHash
    /// Entries in the archive besides the manifest (files, links, directories).
    package var entries: Int
    /// Paths listed in the manifest whose content is not in the archive (hash only, unreadable).
    package var contentMissing: [String]
    package var bytesWritten: Int64
    package var encrypted: Bool
    package var compressed: Bool
}

/// Writes a snapshot as a portable archive: a POSIX tar whose first entry is
/// `kms-drift-manifest.json`, then every recorded directory, file and symlink with its mode,
/// owner and mtime; zstd-compressed unless told not to; age-encrypted to the recipients given.
package enum SnapshotExporter {
    /// The usual file name of an export:
    /// `<host>-<store identity>-<chain hash, 12 digits>-<UTC time of the snapshot>.tar[.zst][.age]`.
    /// Named by the store, never by host and counter, so the exports of two stores (a node and its
    /// rebuild on the same host) never collide and `[backup]` rotation tells its own apart.
    package static func fileName(for link: ChainLink, store: StoreIdentity, options: ExportOptions) -> String
    {
        let host = fileNameHost(link)
        return
            "\(host)-\(store)-\(link.chainHash.hex.prefix(12))-\(fileNameTime(link.takenAtNanoseconds)).tar"
            + (options.compress ? ".zst" : "") + (options.recipients.isEmpty ? "" : ".age")
    }

    /// `20261130T101500.123456789Z`: the snapshot's UTC time to the nanosecond, which sorts as text
    /// (two snapshots of one second are still told apart and ordered).
    static func fileNameTime(_ nanoseconds: Int64) -> String {
        let seconds = POSIX.utcTimestamp(seconds: nanoseconds / 1_000_000_000).filter {
            $0 != ":" && $0 != "-"
        }
        let fraction = String(nanoseconds % 1_000_000_000)
        return seconds.dropLast() + "." + String(repeating: "0", count: 9 - fraction.count) + fraction + "Z"
    }

    /// The host part of an export's file name: the host name with anything but letters, digits
    /// and `-` replaced by `_`.
    static func fileNameHost(_ link: ChainLink) -> String {
        String(
            (link.metadata.hostName ?? "kms-drift").map { $0.isLetter || $0.isNumber || $0 == "-" ? $0 : "_" }
        )
    }

    package static func export(
        _ reference: SnapshotReference, from store: SnapshotStore, to destination: ExportDestination,
        options: ExportOptions
    ) throws -> ExportResult {
        try ThreadLocale.withUTF8 {
            try exportLocked(reference, from: store, to: destination, options: options)
        }
    }

    private static func exportLocked(
        _ reference: SnapshotReference, from store: SnapshotStore, to destination: ExportDestination,
        options: ExportOptions
    ) throws -> ExportResult {
        try store.withReadTransaction {
            let id = try store.resolve(reference)
            guard let link = try store.chainLink(of: .id(id)) else {
                throw BackupError.unexportable(
                    path: id.description, reason: "it has no chain link; run kms-drift verify")
            }
            let files = try store.files(in: .id(id))
            let directories = try store.directories(in: .id(id))
            if options.recipients.isEmpty && !options.allowPlainSecrets {
                let secrets = try scanForSecrets(files, store: store)
                if !secrets.isEmpty {
                    throw BackupError.secretsInPlainExport(examples: Array(secrets.prefix(3)))
                }
            }
            let manifest = try manifest(
                of: link, files: files, directories: directories, store: try store.storeIdentity())
            let atomic: AtomicFile?
            let descriptor: Int32
            switch destination {
            case .file(let path):
                do throws(AtomicFileError) {
                    atomic = try AtomicFile(path: path)
                } catch {
                    throw BackupError.cannotWrite(path: error.path, reason: error.reason)
                }
                descriptor = atomic!.descriptor
            case .standardOutput:
                atomic = nil
                descriptor = STDOUT_FILENO
            }
            let output = DescriptorSink(descriptor: descriptor, name: destination.name)
            var sink: ByteSink = output
            if !options.recipients.isEmpty { sink = try AgeSink(recipients: options.recipients, next: sink) }
            let frames = options.compress ? ZstdFrameSink(next: sink) : nil
            let tar = try TarWriter(sink: frames ?? sink, frames: frames)

            let manifestBytes = manifest.json()
            try tar.begin(
                path: Array(ExportManifest.fileName.utf8), type: carchive_regular, mode: 0o600, owner: 0,
                group: 0,
                modificationTimeNanoseconds: link.takenAtNanoseconds, size: Int64(manifestBytes.count))
            try tar.writeContent(manifestBytes)
            try tar.end()
            var entries = 0
            var missing: [String] = []
            let verifier = ContentVerifier()
            // In the manifest's order, by path bytes: a directory comes before everything in it.
            for item in ExportItem.ordered(files: files, directories: directories) {
                let file: FileRecord
                switch item {
                case .directory(let directory):
                    try tar.begin(
                        path: PathName.bytes(directory.path), type: carchive_directory, mode: directory.mode,
                        owner: directory.owner, group: directory.group,
                        modificationTimeNanoseconds: directory.modificationTimeNanoseconds, size: 0)
                    try tar.end()
                    entries += 1
                    continue
                case .file(let record): file = record
                }
                let path = PathName.bytes(file.path)
                // A state recorded before owners were (schema 3) has none: root's, as before.
                let owner = file.owner ?? 0
                let group = file.group ?? 0
                switch file.kind {
                case .regular:
                    guard let hash = file.contentHash, file.isContentStored else {
                        missing.append(file.path)
                        continue
                    }
                    try tar.begin(
                        path: path, type: carchive_regular, mode: file.mode, owner: owner, group: group,
                        modificationTimeNanoseconds: file.modificationTimeNanoseconds, size: file.size)
                    try write(
                        hash: hash, size: file.size, path: file.path, store: store, tar: tar,
                        verifier: verifier)
                    try tar.end()
                case .symlink(let target):
                    try tar.begin(
                        path: path, type: carchive_symlink, mode: 0o777, owner: owner, group: group,
                        modificationTimeNanoseconds: file.modificationTimeNanoseconds, size: 0,
                        symlinkTarget: PathName.bytes(target))
                    try tar.end()
                case .unreadable, .vanished:
                    missing.append(file.path)
                    continue
                }
                entries += 1
            }
            try verifier.finish()
            try tar.close()
            do throws(AtomicFileError) {
                try atomic?.commit()
            } catch {
                throw BackupError.cannotWrite(path: error.path, reason: error.reason)
            }
            return ExportResult(
                snapshot: id, chainHash: link.chainHash, entries: entries, contentMissing: missing,
                bytesWritten: output.count, encrypted: !options.recipients.isEmpty,
                compressed: options.compress)
        }
    }

    /// Streams one file's stored content into the archive; `verifier` checks its size and
    /// SHA-256 meanwhile: an export never carries damaged bytes under a hash they do not have.
    private static func write(
        hash: ContentHash, size: Int64, path: String, store: SnapshotStore, tar: TarWriter,
        verifier: ContentVerifier
    ) throws {
        verifier.begin()
        var written: Int64 = 0
        try store.forEachStoredChunk(of: hash) { chunk in
            written += Int64(chunk.length)
            guard written <= size else {
                throw BackupError.damaged(
                    path: path, reason: "the store holds more than its recorded \(size) bytes")
            }
            verifier.add(chunk)
            try tar.writeContent(chunk)
        }
        verifier.end(expected: hash, expectedSize: size, path: path)
    }

    static func manifest(
        of link: ChainLink, files: [FileRecord], directories: [DirectoryRecord], store: StoreIdentity? = nil
    ) throws -> ExportManifest {
        var entries: [ExportManifest.File] = []
        for directory in directories {
            entries.append(
                ExportManifest.File(
                    path: directory.path, path_hex: Hex.encode(PathName.bytes(directory.path)), kind: "dir",
                    mode: String(directory.mode & 0o7777, radix: 8).leftPadded(4), uid: directory.owner,
                    gid: directory.group, size: directory.size,
                    mtime_ns: directory.modificationTimeNanoseconds, sha256: nil, in_archive: true,
                    detail_hex: nil))
        }
        for file in files {
            var kind = "file"
            var detail: [UInt8] = []
            var inArchive = false
            switch file.kind {
            case .regular: inArchive = file.isContentStored && file.contentHash != nil
            case .symlink(let target):
                kind = "link"
                detail = PathName.bytes(target)
                inArchive = true
            case .unreadable(let reason):
                kind = "unreadable"
                detail = Array(reason.utf8)
            case .vanished(let reason):
                kind = "vanished"
                detail = Array(reason.utf8)
            }
            entries.append(
                ExportManifest.File(
                    path: file.path, path_hex: Hex.encode(PathName.bytes(file.path)), kind: kind,
                    mode: String(file.mode & 0o7777, radix: 8).leftPadded(4), uid: file.owner,
                    gid: file.group,
                    size: file.size,
                    mtime_ns: file.modificationTimeNanoseconds, sha256: file.contentHash?.hex,
                    in_archive: inArchive,
                    detail_hex: detail.isEmpty ? nil : Hex.encode(detail)))
        }
        // The chain's order: by the bytes of the path.
        entries.sort { Hex.decode($0.path_hex)!.lexicographicallyPrecedes(Hex.decode($1.path_hex)!) }
        let metadata = link.metadata
        return ExportManifest(
            schema: ExportManifest.schema, store: store?.description,
            snapshot: .init(
                id: link.snapshot.rawValue,
                taken_at: POSIX.utcTimestamp(seconds: link.takenAtNanoseconds / 1_000_000_000),
                taken_at_ns: link.takenAtNanoseconds, root: link.rootPath, host: metadata.hostName,
                machine_id: metadata.machineID, version: metadata.toolVersion,
                origin: metadata.origin.rawValue,
                note: metadata.note, network_fingerprint: metadata.networkFingerprint),
            chain: .init(
                format: link.format, previous: link.previousHash.description,
                manifest: link.manifestHash.description,
                hash: link.chainHash.description, signature: link.signature.map(Hex.encode)),
            files: entries)
    }

    /// Up to a few reasons the snapshot holds secrets (empty when it holds none).
    static func scanForSecrets(_ files: [FileRecord], store: SnapshotStore) throws -> [String] {
        var reasons: [String] = []
        for file in files {
            guard case .regular = file.kind, let hash = file.contentHash, file.isContentStored else {
                continue
            }
            if let reason = try SecretScan.reason(path: file.path, mode: file.mode)
                ?? SecretScan.reason(path: file.path, bytes: store.contents(hash: hash))
            {
                reasons.append(reason)
                if reasons.count == 3 { break }
            }
        }
        return reasons
    }
}

/// One entry of an export besides its manifest: a recorded directory or a file record.
enum ExportItem {
    case directory(DirectoryRecord)
    case file(FileRecord)

    /// Directories and files together, sorted by the bytes of their paths (the chain manifest's
    /// order), so that a directory precedes its contents in the archive.
    static func ordered(files: [FileRecord], directories: [DirectoryRecord]) -> [ExportItem] {
        let items =
            directories.map { (PathName.bytes($0.path), ExportItem.directory($0)) }
            + files.map { (PathName.bytes($0.path), ExportItem.file($0)) }
        return items.sorted { $0.0.lexicographicallyPrecedes($1.0) }.map(\.1)
    }
}
