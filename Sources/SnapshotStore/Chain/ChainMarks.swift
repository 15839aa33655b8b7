/// Facts about the chain kept outside `chain_links` (in `chain_marks`): the highest schema version
/// ever written, that the chain table existed, and when signing began and with which key. A
/// downgrade (`PRAGMA user_version = 4`) or a dropped chain table does not reset them, so the store
/// can tell a history that predates the chain from one whose chain was removed.
struct ChainMarks {
    let database: Database

    enum Name: String {
        case schemaHighWater = "schema_high_water"
        case chainBegan = "chain_began"
        case signingBegan = "signing_began"
    }

    /// The first signed link: from it on, every link must be signed.
    struct SigningStart: Sendable, Hashable {
        var snapshot: SnapshotID
        /// Lowercase hex of the Ed25519 public key that signed it; `nil` when the store signed before
        /// kms-drift recorded the key (it is recorded by the next signed cycle).
        var publicKeyHex: String?

        /// `<snapshot id> <key hex or ->`.
        var text: String { "\(snapshot.rawValue) \(publicKeyHex ?? "-")" }

        init(snapshot: SnapshotID, publicKeyHex: String?) {
            self.snapshot = snapshot
            self.publicKeyHex = publicKeyHex
        }

        init?(text: String) {
            let fields = text.split(separator: " ")
            guard fields.count == 2, let id = Int64(fields[0]) else { return nil }
            snapshot = SnapshotID(id)
            publicKeyHex = fields[1] == "-" ? nil : String(fields[1])
        }
    }

    /// True when the table exists (schema 6 or later, or a store set back from one).
    func exist() throws -> Bool {
        try tableExists("chain_marks", in: database)
    }

    func value(_ name: Name) throws -> String? {
        guard try exist() else { return nil }
        return try database.cached("SELECT value FROM chain_marks WHERE name = ?")
            .firstRow([.text(name.rawValue)]) { $0.text(0) }
    }

    func set(_ name: Name, _ value: String) throws {
        try database.cached(
            "INSERT OR REPLACE INTO chain_marks (name, value, set_at_ns) VALUES (?, ?, ?)"
        ).run([.text(name.rawValue), .text(value), .integer(currentTimeNanoseconds())])
    }

    /// The highest schema version ever written to this file, when known.
    func schemaHighWater() throws -> Int? {
        try value(.schemaHighWater).flatMap { Int($0) }
    }

    /// When signing began, if it has.
    func signingStart() throws -> SigningStart? {
        try value(.signingBegan).flatMap(SigningStart.init(text:))
    }
}

/// True when the database has a table of that name.
func tableExists(_ name: String, in database: Database) throws -> Bool {
    try database.scalarInt64(
        "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = ?", [.text(name)]) ?? 0 > 0
}
