import CSQLite
import Crypto
import FileSystem

/// A digest of everything a snapshot records about its paths (name bytes, kind, mode, size, owner,
/// group, link target or reason, content hash), kept with the snapshot when it is taken and
/// recomputed before a restore or a `show`, and by `verify`.
///
/// Content is protected by its SHA-256, but a damaged manifest could drop a file, rename one, or
/// point it at another file's intact content: every byte written would then match *a* hash, and a
/// restore would still be wrong. The digest catches that. It is the sum (mod 2²⁵⁶) of the SHA-256
/// of each record, so it does not depend on the order in which the walk or a query produce them.
/// Snapshots taken before schema 3 have none; for them the number of files is checked instead.
struct ManifestDigest: Equatable {
    private(set) var limbs: [UInt64] = [0, 0, 0, 0]

    init() {}

    init?(bytes: [UInt8]) {
        guard bytes.count == 32 else { return nil }
        limbs = (0..<4).map { limb in
            (0..<8).reduce(UInt64(0)) { $0 | UInt64(bytes[limb * 8 + $1]) << (8 * UInt64($1)) }
        }
    }

    var bytes: [UInt8] {
        limbs.flatMap { limb in (0..<8).map { UInt8(truncatingIfNeeded: limb >> (8 * UInt64($0))) } }
    }

    /// Adds one record. `nil` stands for SQL NULL and is told apart from an empty value.
    mutating func add(
        path: [UInt8], kind: Int64, mode: Int64, size: Int64, owner: Int64?, group: Int64?, detail: [UInt8]?,
        contentHash: [UInt8]?
    ) {
        add(
            Self.record(
                path: path, kind: kind, mode: mode, size: size, owner: owner, group: group, detail: detail,
                contentHash: contentHash))
    }

    /// Adds another digest (the sum of its records).
    mutating func add(_ other: ManifestDigest) {
        var carry: UInt64 = 0
        for limb in 0..<4 {
            let (partial, overflow1) = limbs[limb].addingReportingOverflow(other.limbs[limb])
            let (sum, overflow2) = partial.addingReportingOverflow(carry)
            limbs[limb] = sum
            carry = (overflow1 ? 1 : 0) + (overflow2 ? 1 : 0)
        }
    }

    /// Takes a record's digest out of the sum.
    mutating func subtract(_ other: ManifestDigest) {
        var borrow: UInt64 = 0
        for limb in 0..<4 {
            let (partial, overflow1) = limbs[limb].subtractingReportingOverflow(other.limbs[limb])
            let (difference, overflow2) = partial.subtractingReportingOverflow(borrow)
            limbs[limb] = difference
            borrow = (overflow1 ? 1 : 0) + (overflow2 ? 1 : 0)
        }
    }

    /// The digest of one record alone.
    static func record(
        path: [UInt8], kind: Int64, mode: Int64, size: Int64, owner: Int64?, group: Int64?, detail: [UInt8]?,
        contentHash: [UInt8]?
    ) -> ManifestDigest {
        var encoded: [UInt8] = []
        encoded.reserveCapacity(80 + path.count + (detail?.count ?? 0) + (contentHash?.count ?? 0))
        func integer(_ value: Int64?) {
            guard let value else { return encoded.append(0) }
            encoded.append(1)
            withUnsafeBytes(of: UInt64(bitPattern: value).littleEndian) { encoded.append(contentsOf: $0) }
        }
        func data(_ value: [UInt8]?) {
            integer(value.map { Int64($0.count) })
            if let value { encoded.append(contentsOf: value) }
        }
        data(path)
        integer(kind)
        integer(mode)
        integer(size)
        integer(owner)
        integer(group)
        data(detail)
        data(contentHash)
        let digest = SHA256.hash(data: encoded)
        var words: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        withUnsafeMutableBytes(of: &words) { target in digest.withUnsafeBytes { target.copyMemory(from: $0) }
        }
        var record = ManifestDigest()
        record.limbs = [
            UInt64(littleEndian: words.0), UInt64(littleEndian: words.1), UInt64(littleEndian: words.2),
            UInt64(littleEndian: words.3),
        ]
        return record
    }

    /// The columns a record is made of, joined as ``of(snapshot:in:)`` and ``forRecord(state:in:_:)`` read them.
    private static let recordColumns = "p.path, s.kind, s.mode, s.size, s.uid, s.gid, s.detail, b.sha256"

    private static func record(_ row: Statement) -> ManifestDigest {
        record(
            path: row.rawBytes(0) ?? [], kind: row.int64(1), mode: row.int64(2), size: row.int64(3),
            owner: row.optionalInt64(4), group: row.optionalInt64(5), detail: row.rawBytes(6),
            contentHash: row.rawBytes(7))
    }

    /// Calls `body` with the digest of the record of one file state (nothing when its path is gone).
    static func forRecord(state: Int64, in database: Database, _ body: (ManifestDigest) -> Void) throws {
        try database.cached(
            """
            SELECT \(recordColumns) FROM file_states s JOIN paths p ON p.id = s.path_id
            LEFT JOIN blobs b ON b.id = s.blob_id WHERE s.id = ?
            """
        ).forEachRow([.integer(state)]) { body(record($0)) }
    }

    /// The digest of a snapshot's manifest as the database holds it now.
    static func of(snapshot: Int64, in database: Database) throws -> ManifestDigest {
        var digest = ManifestDigest()
        try database.cached(
            """
            SELECT \(recordColumns) FROM entries e
            JOIN file_states s ON s.id = e.state_id JOIN paths p ON p.id = s.path_id
            LEFT JOIN blobs b ON b.id = s.blob_id WHERE e.snapshot_id = ?
            """
        ).forEachRow([.integer(snapshot)]) { digest.add(record($0)) }
        return digest
    }
}

extension Statement {
    /// The bytes of a text or blob column, `nil` for NULL.
    func rawBytes(_ column: Int32) -> [UInt8]? {
        switch sqlite3_column_type(handle, column) {
        case SQLITE_NULL: return nil
        case SQLITE_BLOB: return blob(column)
        default:
            guard let pointer = sqlite3_column_text(handle, column) else { return [] }
            return Array(
                UnsafeBufferPointer(start: pointer, count: Int(sqlite3_column_bytes(handle, column))))
        }
    }
}

extension SQLValue {
    /// The bytes a value stores, as ``Statement/rawBytes(_:)`` reads them back.
    var rawBytes: [UInt8]? {
        switch self {
        case .null: return nil
        case .text(let text): return Array(text.utf8)
        case .blob(let bytes): return bytes
        case .integer(let number): return Array(String(number).utf8)
        }
    }
}
