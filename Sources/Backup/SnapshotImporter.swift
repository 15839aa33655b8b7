import Age
import CArchive
import FileSystem
import SigningKeys
import SnapshotStore

/// What an import added.
package struct ImportResult: Sendable {
    /// The new snapshot, chained after this store's head.
    package var snapshot: SnapshotResult
    /// The snapshot's number, host, time and chain hash in the store it was exported from.
    package var sourceSnapshot: Int64
    package var sourceHost: String?
    package var sourceTakenAtNanoseconds: Int64 = 0
    package var sourceChainHash: ContentHash
    /// The identity of the store it was exported from; `nil` for exports older than identities.
    package var sourceStore: String? = nil
    package var encrypted: Bool
    /// Whether the export's chain link carries a signature, and whether it was checked (with
    /// ``ImportChecks/publicKey``) and verified.
    package var signed: Bool = false
    package var signatureVerified: Bool = false

    /// `snapshot #29 of vm-26 taken 2026-12-06 14:02:05 UTC`: how every message names the export's
    /// own snapshot, never this store's number for it.
    package var sourceDescription: String {
        "snapshot #\(sourceSnapshot) of \(sourceHost ?? "an unknown host") taken "
            + POSIX.utcTimestamp(seconds: sourceTakenAtNanoseconds / 1_000_000_000, separator: " ").dropLast()
            + " UTC"
    }
}

/// The bounds and checks an import applies on top of the export's own consistency.
package struct ImportChecks: Sendable {
    /// `[watch] max_file_size`: a file the store would not have kept, and restore would refuse.
    package var maximumFileSize: Int64
    /// Verify the chain link's signature with this key (`import --public-key`); refuse an unsigned
    /// export or a signature that does not verify.
    package var publicKey: ChainPublicKey?

    package init(maximumFileSize: Int64 = 16 << 20, publicKey: ChainPublicKey? = nil) {
        self.maximumFileSize = maximumFileSize
        self.publicKey = publicKey
    }
}

/// What an export's manifest says about the snapshot it holds, read without importing it.
package struct ExportDescription: Sendable {
    package var path: String
    package var sourceSnapshot: Int64
    package var sourceHost: String?
    package var sourceTakenAtNanoseconds: Int64
    package var sourceChainHash: String
    package var sourceStore: String?
}

/// Reads an export (plain, zstd-compressed and/or age-encrypted, told apart by their first
/// bytes), checks it completely, and adds it to a store as a new snapshot (origin `import`).
///
/// Every check comes before anything is kept, in one transaction: the manifest must hash to the
/// chain link it carries, every entry of the archive must be in the manifest with the same
/// kind, mode, size, link target and SHA-256, every file the manifest says is in the archive
/// must be there, and the decryption and decompression must end cleanly. A wrong identity, a
/// cut file or a flipped byte fails the import and leaves the store as it was.
///
/// Memory is bounded by what is read, not by what the export claims: the manifest is at most
/// ``maximumManifestSize`` bytes, contents stream in chunks, at most ``maximumTrailingBytes`` of
/// zero padding may follow the archive's end, and a file above `[watch] max_file_size` is refused
/// before its first byte is read.
package enum SnapshotImporter {
    /// The largest manifest read (a manifest line is ~300 bytes: ~28,000 paths).
    static let maximumManifestSize: Int64 = 8 << 20
    /// tar's padding: one 10 KiB record of zeros after the end-of-archive blocks.
    static let maximumTrailingBytes = 10_240
    /// Entries the manifest may list without the archive carrying them (unreadable, vanished or
    /// recorded by hash only), beyond one per entry the archive does carry.
    static let entriesOutsideArchiveAllowance = 16

    package static func importSnapshot(
        from path: String, identities: [AgeIdentity], into store: SnapshotStore, note: String? = nil,
        signingKey: ChainSigningKey? = nil, checks: ImportChecks = ImportChecks()
    ) throws -> ImportResult {
        try ThreadLocale.withUTF8 {
            let export = try OpenedExport(path: path, identities: identities)
            do {
                return try read(
                    export.tar, name: export.name, encrypted: export.encrypted, into: store, note: note,
                    signingKey: signingKey, checks: checks)
            } catch let error as AgeError {
                // A chunk that does not authenticate, read anywhere in the archive.
                throw BackupError.damaged(path: export.name, reason: error.description)
            }
        }
    }

    /// The snapshot an export holds, from its manifest alone (checked against its chain link):
    /// for a rebuild, which imports several exports oldest first.
    package static func describe(_ path: String, identities: [AgeIdentity]) throws -> ExportDescription {
        try ThreadLocale.withUTF8 {
            let export = try OpenedExport(path: path, identities: identities)
            let manifest = try readManifest(export.tar, name: export.name)
            let (_, chainHash) = try checkChain(manifest, name: export.name)
            return ExportDescription(
                path: path, sourceSnapshot: manifest.snapshot.id, sourceHost: manifest.snapshot.host,
                sourceTakenAtNanoseconds: manifest.snapshot.taken_at_ns,
                sourceChainHash: chainHash.description,
                sourceStore: manifest.store)
        }
    }

    /// An export opened for reading: the file (or standard input), decryption when it is
    /// encrypted, decompression when it is compressed, and the tar reader on top.
    private final class OpenedExport {
        /// The export's descriptor, held open while the readers above it read; closed with this.
        let descriptor: ReadingDescriptor
        let name: String
        let encrypted: Bool
        let tar: TarReader

        init(path: String, identities: [AgeIdentity]) throws {
            if path == "-" {
                descriptor = ReadingDescriptor.standardInput()
            } else {
                do {
                    descriptor = try ReadingDescriptor(path: path)
                } catch {
                    throw BackupError.cannotRead(path: path, reason: error.description)
                }
            }
            name = path == "-" ? "standard input" : path
            let file = PeekingSource(next: DescriptorSource(descriptor: descriptor.descriptor, name: name))
            var source: ByteSource = file
            encrypted = AgeDecryptor.looksEncrypted(try file.peek(32))
            if encrypted {
                guard !identities.isEmpty else { throw BackupError.identityNeeded(path: name) }
                do {
                    source = try AgeSource(identities: identities, next: file)
                } catch AgeError.noMatchingIdentity {
                    throw BackupError.wrongIdentity(path: name)
                } catch let error as AgeError {
                    throw BackupError.damaged(path: name, reason: error.description)
                }
            }
            let plain = PeekingSource(next: source)
            source = plain
            do {
                if try plain.peek(4) == [0x28, 0xB5, 0x2F, 0xFD] {
                    source = ZstdSource(next: plain, name: name)
                }
            } catch let error as AgeError {
                throw BackupError.damaged(path: name, reason: error.description)
            }
            tar = try TarReader(source: source, name: name)
        }
    }

    /// The first entry, the manifest, read whole but never beyond ``maximumManifestSize``.
    private static func readManifest(_ tar: TarReader, name: String) throws -> ExportManifest {
        do {
            guard let first = try tar.next(), first.path == Array(ExportManifest.fileName.utf8),
                first.type == carchive_regular
            else {
                throw BackupError.notAnExport(
                    path: name, reason: "its first entry is not \(ExportManifest.fileName)")
            }
            guard first.size <= maximumManifestSize else {
                throw BackupError.refused(
                    path: name,
                    reason:
                        "its manifest claims \(first.size) bytes, above the \(maximumManifestSize >> 20) MiB "
                        + "a kms-drift export of a configuration directory can need")
            }
            var manifestBytes: [UInt8] = []
            manifestBytes.reserveCapacity(Int(first.size))
            var buffer = [UInt8](repeating: 0, count: 64 * 1024)
            while true {
                let count = try buffer.withUnsafeMutableBytes { try tar.readData(into: $0) }
                if count == 0 { break }
                guard manifestBytes.count + count <= Int(maximumManifestSize) else {
                    throw BackupError.refused(
                        path: name,
                        reason: "its manifest is longer than the \(maximumManifestSize >> 20) MiB read")
                }
                manifestBytes += buffer[..<count]
            }
            return try ExportManifest.parse(manifestBytes, source: name)
        } catch let error as AgeError {
            throw BackupError.damaged(path: name, reason: error.description)
        }
    }

    private static func read(
        _ tar: TarReader, name: String, encrypted: Bool, into store: SnapshotStore, note: String?,
        signingKey: ChainSigningKey?, checks: ImportChecks
    ) throws -> ImportResult {
        let manifest = try readManifest(tar, name: name)
        let (manifestHash, chainHash) = try checkChain(manifest, name: name)
        let signature = try manifest.chain.signature.map { text throws -> [UInt8] in
            guard let bytes = Hex.decode(text) else {
                throw BackupError.damaged(path: name, reason: "its chain link's signature is not hex")
            }
            return bytes
        }
        if let publicKey = checks.publicKey {
            guard let signature else {
                throw BackupError.refused(
                    path: name,
                    reason: "its chain link is not signed, and --public-key asks for a signed export")
            }
            guard publicKey.isValid(signature, for: chainHash) else {
                throw BackupError.refused(
                    path: name, reason: "its chain link's signature does not verify with the public key given"
                )
            }
        }
        var byPath: [String: Int] = [:]
        byPath.reserveCapacity(manifest.files.count)
        for (index, file) in manifest.files.enumerated() {
            guard byPath.updateValue(index, forKey: file.path_hex) == nil else {
                throw BackupError.damaged(path: name, reason: "its manifest lists \(file.path) twice")
            }
        }
        try checkRestorable(manifest, byPath: byPath, name: name, maximumFileSize: checks.maximumFileSize)
        var metadata = manifest.metadata
        metadata.origin = .import
        let source =
            "imported from \(name): snapshot #\(manifest.snapshot.id) of \(manifest.snapshot.host ?? "an unknown host"), \(chainHash)"
        metadata.note = [source, note].compactMap { $0 }.joined(separator: "; ")

        let result = try store.importSnapshot(
            rootPath: manifest.snapshot.root, takenAtNanoseconds: manifest.snapshot.taken_at_ns,
            metadata: metadata,
            signingKey: signingKey, expectedManifestHash: manifestHash
        ) { session in
            var seen = Set<Int>()
            while var entry = try tar.next() {
                // tar writers mark a directory with a trailing slash; the manifest has the path.
                if entry.type == carchive_directory, entry.path.count > 1,
                    entry.path.last == UInt8(ascii: "/")
                {
                    entry.path.removeLast()
                }
                let shown = PathText.display(entry.path)
                guard let index = byPath[Hex.encode(entry.path)] else {
                    throw BackupError.damaged(
                        path: name, reason: "\(shown) is in the archive but not in its manifest")
                }
                guard seen.insert(index).inserted else {
                    throw BackupError.damaged(path: name, reason: "\(shown) is in the archive twice")
                }
                let file = manifest.files[index]
                try check(entry, against: file, shown: shown, name: name)
                if file.kind == "file" {
                    guard entry.size <= checks.maximumFileSize else {
                        throw BackupError.refused(
                            path: name,
                            reason: "\(shown) is \(entry.size) bytes, above [watch] max_file_size "
                                + "(\(checks.maximumFileSize) bytes): kms-drift would not restore it")
                    }
                    let stored = try session.storeContent { try tar.readData(into: $0) }
                    guard stored.size == file.size, stored.hash.hex == file.sha256 else {
                        throw BackupError.damaged(
                            path: name,
                            reason: "\(shown) does not have the size and SHA-256 its manifest records")
                    }
                }
            }
            try tar.drain(maximumTrailingBytes: maximumTrailingBytes)
            for (index, file) in manifest.files.enumerated() where file.in_archive && !seen.contains(index) {
                throw BackupError.damaged(
                    path: name,
                    reason: "its manifest lists \(manifest.files.count) entries but the archive holds "
                        + "\(seen.count); \(file.path) is in its manifest but not in the archive")
            }
            let outside = manifest.files.count - seen.count
            guard outside <= seen.count + entriesOutsideArchiveAllowance else {
                throw BackupError.refused(
                    path: name,
                    reason: "its manifest lists \(manifest.files.count) entries but the archive holds "
                        + "\(seen.count) files: more entries than files in the archive")
            }
            for file in manifest.files { try session.record(try entry(file, name: name)) }
        }
        return ImportResult(
            snapshot: result, sourceSnapshot: manifest.snapshot.id, sourceHost: manifest.snapshot.host,
            sourceTakenAtNanoseconds: manifest.snapshot.taken_at_ns,
            sourceChainHash: chainHash, sourceStore: manifest.store, encrypted: encrypted,
            signed: signature != nil, signatureVerified: checks.publicKey != nil)
    }

    /// Refuses, before any content is read, a snapshot that `restore` would refuse: a file above
    /// `[watch] max_file_size`, or a path below a symlink or a file of the same snapshot.
    private static func checkRestorable(
        _ manifest: ExportManifest, byPath: [String: Int], name: String, maximumFileSize: Int64
    ) throws {
        for file in manifest.files {
            if file.kind == "file", file.size > maximumFileSize {
                throw BackupError.refused(
                    path: name,
                    reason: "its manifest records \(file.path) as \(file.size) bytes, above [watch] "
                        + "max_file_size (\(maximumFileSize) bytes): kms-drift would not restore it")
            }
            guard let bytes = Hex.decode(file.path_hex) else { continue }  // refused when recorded
            var prefixEnd = bytes.startIndex
            while let slash = bytes[prefixEnd...].firstIndex(of: UInt8(ascii: "/")) {
                if let index = byPath[Hex.encode(Array(bytes[..<slash]))], manifest.files[index].kind != "dir"
                {
                    let parent = manifest.files[index]
                    throw BackupError.refused(
                        path: name,
                        reason: "its manifest records \(file.path) below \(parent.path), which is "
                            + (parent.kind == "link" ? "a symlink" : "not a directory")
                            + ": restore could never write it")
                }
                prefixEnd = bytes.index(after: slash)
            }
        }
    }

    /// The manifest must hash to its link: its files to the manifest hash, its metadata with that
    /// hash and the previous link to the chain hash. Returns both.
    static func checkChain(_ manifest: ExportManifest, name: String) throws -> (ContentHash, ContentHash) {
        guard manifest.chain.format == ChainSerialization.currentFormat,
            let manifestHash = ContentHash(prefixed: manifest.chain.manifest),
            let previous = ContentHash(prefixed: manifest.chain.previous),
            let chainHash = ContentHash(prefixed: manifest.chain.hash),
            SnapshotOrigin(rawValue: manifest.snapshot.origin) != nil
        else {
            throw BackupError.notAnExport(
                path: name, reason: "its manifest's chain link is not one this kms-drift reads")
        }
        var hasher = SHA256Stream()
        hasher.update(Array(manifest.canonicalText.utf8))
        guard hasher.finalize() == manifestHash else {
            throw BackupError.damaged(
                path: name, reason: "its manifest's files do not hash to the manifest hash of its chain link")
        }
        let recomputed = ChainSerialization.chainHash(
            snapshot: SnapshotID(manifest.snapshot.id), previous: previous,
            takenAtNanoseconds: manifest.snapshot.taken_at_ns, rootPath: manifest.snapshot.root,
            metadata: manifest.metadata, manifestHash: manifestHash)
        guard recomputed == chainHash else {
            throw BackupError.damaged(
                path: name, reason: "its manifest's metadata does not hash to the chain hash it carries")
        }
        return (manifestHash, chainHash)
    }

    /// An archive entry must be what the manifest says: kind, mode, size, link target.
    private static func check(
        _ entry: TarEntry, against file: ExportManifest.File, shown: String, name: String
    ) throws {
        let expectedType: UInt32
        switch file.kind {
        case "file": expectedType = carchive_regular
        case "link": expectedType = carchive_symlink
        case "dir": expectedType = carchive_directory
        default:
            throw BackupError.damaged(
                path: name, reason: "\(shown) is in the archive but its manifest says it is \(file.kind)")
        }
        guard entry.type == expectedType, !entry.isHardLink, file.in_archive else {
            throw BackupError.damaged(
                path: name, reason: "\(shown) is not the kind of entry its manifest records")
        }
        if file.kind == "link" {
            guard let target = entry.symlinkTarget, Hex.encode(target) == file.detail_hex else {
                throw BackupError.damaged(
                    path: name, reason: "\(shown) does not point where its manifest records")
            }
            return
        }
        guard String(entry.mode & 0o7777, radix: 8).leftPadded(4) == file.mode,
            file.kind != "file" || entry.size == file.size
        else {
            throw BackupError.damaged(
                path: name, reason: "\(shown) does not have the mode and size its manifest records")
        }
        guard file.uid.map({ Int64($0) == entry.owner }) ?? true,
            file.gid.map({ Int64($0) == entry.group }) ?? true
        else {
            throw BackupError.damaged(
                path: name, reason: "\(shown) does not have the owner and group its manifest records")
        }
    }

    /// The bytes of a manifest path a snapshot can hold: relative, no empty, `.` or `..`
    /// component, no NUL. Any other bytes are fine (names need not be UTF-8).
    static func storablePath(_ bytes: [UInt8]) -> Bool {
        guard !bytes.isEmpty, !bytes.contains(0) else { return false }
        return bytes.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false).allSatisfy {
            !$0.isEmpty && !$0.elementsEqual([UInt8(ascii: ".")])
                && !$0.elementsEqual([UInt8(ascii: "."), UInt8(ascii: ".")])
        }
    }

    /// The store's record of a manifest entry.
    private static func entry(_ file: ExportManifest.File, name: String) throws -> ImportedEntry {
        guard let pathBytes = Hex.decode(file.path_hex), storablePath(pathBytes),
            let mode = UInt32(file.mode, radix: 8), mode <= 0o7777,
            file.kind != "dir" || (file.uid != nil && file.gid != nil)
        else {
            throw BackupError.damaged(
                path: name, reason: "its manifest records \(file.path) in a way this kms-drift cannot store")
        }
        let path = PathName.key(pathBytes)
        let detailBytes = file.detail_hex.flatMap(Hex.decode) ?? []
        let detail = String(decoding: detailBytes, as: UTF8.self)
        let kind: ImportedEntry.Kind
        switch file.kind {
        case "file": kind = .regular
        case "dir": kind = .directory
        // A target is bytes too: its key, stored back as those bytes.
        case "link": kind = .symlink(target: PathName.key(detailBytes))
        case "unreadable": kind = .unreadable(reason: detail)
        case "vanished": kind = .vanished(reason: detail)
        default:
            throw BackupError.damaged(
                path: name, reason: "its manifest gives \(file.path) the kind \(file.kind)")
        }
        let hash = try file.sha256.map { text throws in
            guard let hash = ContentHash(hex: text) else {
                throw BackupError.damaged(
                    path: name, reason: "its manifest's SHA-256 of \(file.path) is not 64 hex digits")
            }
            return hash
        }
        return ImportedEntry(
            path: path, kind: kind, mode: mode, owner: file.uid, group: file.gid, size: file.size,
            modificationTimeNanoseconds: file.mtime_ns, contentHash: hash,
            isContentStored: file.kind == "file" && file.in_archive)
    }
}

extension ContentHash {
    /// Parses `sha256:` and 64 hex digits.
    init?(prefixed text: String) {
        guard text.hasPrefix("sha256:") else { return nil }
        self.init(hex: String(text.dropFirst(7)))
    }
}

/// Lets the first bytes of a source be looked at, then read again.
final class PeekingSource: ByteSource {
    private let next: ByteSource
    private var replay: [UInt8] = []

    init(next: ByteSource) { self.next = next }

    func peek(_ count: Int) throws -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: count)
        var filled = 0
        while filled < count {
            let got = try buffer.withUnsafeMutableBytes {
                try next.read(into: UnsafeMutableRawBufferPointer(rebasing: $0[filled...]))
            }
            if got == 0 { break }
            filled += got
        }
        replay = Array(buffer[..<filled])
        return replay
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        if !replay.isEmpty {
            let count = min(buffer.count, replay.count)
            replay.withUnsafeBytes { buffer.baseAddress!.copyMemory(from: $0.baseAddress!, byteCount: count) }
            replay.removeFirst(count)
            return count
        }
        return try next.read(into: buffer)
    }
}
