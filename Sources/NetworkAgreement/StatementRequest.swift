import FileSystem
import SigningKeys
import TOML

/// `kms-drift statement`: everything after the party's configuration is built — the key, the
/// keyring, the sequence number, the chain head — and the signed statement it gives.
package struct StatementRequest: Sendable {
    /// The party's Ed25519 private key (`kms-drift keygen`).
    package var keyPath: String
    package var keyringPath: String
    /// An explicit sequence number (`--sequence`).
    package var sequence: Int64?
    /// A file holding the last sequence number used (`--sequence-file`): read, incremented, written back.
    package var sequenceFile: String?
    /// The party; default: the configuration's `threshold.my_id`.
    package var partyID: Int64?
    /// Where the chain head the statement carries comes from (a kms-drift store), if anywhere.
    package var chainHeadSource: (any ChainHeadSource)?
    package var withValues = false
    /// Seconds since the epoch the statement is made at.
    package var time: Int64

    package init(keyPath: String, keyringPath: String, time: Int64 = POSIX.wallClockSeconds()) {
        self.keyPath = keyPath
        self.keyringPath = keyringPath
        self.time = time
    }

    /// The signed statement of the configuration `root`, whose relative certificate paths are
    /// read from `certificateBase` (kms-server's working directory).
    package func make(root: TOMLTable, certificateBase: String) throws(NetworkAgreementError) -> Statement {
        guard (sequence == nil) != (sequenceFile == nil) else {
            throw .invalidOption(
                "give --sequence N or --sequence-file FILE (a file kms-drift keeps the last number in): "
                    + "each statement needs a number above the party's previous one")
        }
        guard let party = partyID ?? root["threshold"]?.tableValue?["my_id"]?.integerValue else {
            throw .noPartyIdentifier
        }
        let key: ChainSigningKey
        do {
            key = try ChainSigningKey.load(path: keyPath)
        } catch {
            throw .key(error.description)
        }
        let keyring = try Keyring.load(keyringPath)
        let maker = StatementMaker(keyring: keyring, key: key, withValues: withValues)
        try maker.checkKey(partyID: party)
        let components = try SharedComponents.extract(from: root, certificateBase: certificateBase)
        let head = try chainHead()
        let number: Int64
        if let sequence { number = sequence } else { number = try nextSequence(in: sequenceFile!) }
        let statement = try maker.make(
            components: components, partyID: party, time: POSIX.utcTimestamp(seconds: time), sequence: number,
            chainHead: head)
        if let sequenceFile { try StatementFile.write("\(number)\n", to: sequenceFile, mode: 0o600) }
        return statement
    }

    private func chainHead() throws(NetworkAgreementError) -> String? {
        try chainHeadSource?.chainHead()
    }

    /// One above the number in `file` (0 when the file does not exist yet).
    private func nextSequence(in file: String) throws(NetworkAgreementError) -> Int64 {
        let bytes: [UInt8]
        do {
            bytes = try FileContents.read(file, maximumSize: 4096)
        } catch {
            if case .system(let code) = error, code.isNotFound { return 1 }
            throw .unreadable(path: file, reason: error.description)
        }
        let text = String(decoding: bytes, as: UTF8.self).filter { !$0.isWhitespace }
        guard let last = Int64(text), last >= 0, last < Int64.max else {
            throw .unreadable(
                path: file, reason: "it does not hold a sequence number; it holds \"\(text.prefix(40))\"")
        }
        return last + 1
    }
}

/// `48h`, `2d`, `90m`, `3600s` or `3600`: the age limit of statements, parsed where it enters.
package enum AgeLimit {
    package static func duration(parsing text: String) throws(NetworkAgreementError) -> Duration {
        let units: [Character: Int64] = ["s": 1, "m": 60, "h": 3600, "d": 86_400]
        var digits = Substring(text)
        var unit: Int64 = 1
        if let last = text.last, let factor = units[last] {
            unit = factor
            digits = digits.dropLast()
        }
        guard let number = Int64(digits), number > 0, number <= 366 * 86_400 / unit else {
            throw .invalidOption("\"\(text)\" is not an age: give a number with s, m, h or d (48h, 2d)")
        }
        return .seconds(number * unit)
    }
}

/// Where a statement's `chain_head` comes from: the newest chain hash of the party's history. A
/// protocol, so that statements need no store to be made or checked.
package protocol ChainHeadSource: Sendable {
    /// The chain hash as written in a statement (`sha256:…`), or nil when the history is empty.
    func chainHead() throws(NetworkAgreementError) -> String?
}
