import FileSystem

/// One problem of a cycle: the words an operator reads, what part of the cycle found it, and a
/// stable identity that says whether two reports are the same problem.
///
/// The identity is built from the problem itself (the error's type and case, the path, the
/// position, the errno), never from its wording: a problem found twice in one cycle (a broken
/// `[validate] kms_config` fails both the comparison and the validation) is one problem, and a
/// message reworded by an upgrade does not page everyone again.
package struct CycleProblem: Sendable, Hashable {
    /// What found the problem; a `recovered` event names it.
    package enum Kind: String, Sendable, Hashable {
        /// A watched file kms-drift cannot read.
        case unreadable
        /// The `[watch]` settings watch nothing.
        case watch
        /// Comparing with the reference or validating the kms-server config failed.
        case comparison
        /// The effective or live configuration could not be read.
        case effective
        /// The off-host backup failed.
        case backup
        /// The cycle itself failed (the store could not be opened or written).
        case cycle
        /// SIGHUP could not re-read the configuration file.
        case reload
        /// `[network]`: the keyring, the statements or the published statement failed.
        case network
    }

    package let kind: Kind
    package let identity: String
    package let message: String

    package init(kind: Kind, identity: String, message: String) {
        self.kind = kind
        self.identity = Self.singleLine(identity)
        self.message = message
    }

    /// A problem from a thrown error: its identity from the error's structure (``ProblemIdentity``).
    package init(kind: Kind, error: any Error) {
        self.init(kind: kind, identity: ProblemIdentity.of(error), message: "\(error)")
    }

    /// Identities are kept one per line in the store.
    private static func singleLine(_ text: String) -> String {
        String(text.unicodeScalars.map { $0.value < 0x20 ? " " : Character($0) })
    }
}

extension Array where Element == CycleProblem {
    /// One problem per identity, in the order first found.
    func uniqued() -> [CycleProblem] {
        var seen: Set<String> = []
        return filter { seen.insert($0.identity).inserted }
    }
}
