import SnapshotStore

/// What `verify` prints: each problem on stderr, the error that ends a damaged run, or the lines
/// that say what was checked.
package enum HistoryVerificationText {
    /// One line per problem found, for stderr.
    package static func problems(_ result: HistoryVerification.Result) -> String {
        result.storeProblems.map { "damaged: \($0)\n" }.joined()
            + result.chain.problems.map { "chain: \($0)\n" }.joined()
    }

    /// The error a damaged history ends with (the first chain problem, else the count); `nil` when intact.
    package static func failure(_ result: HistoryVerification.Result) -> OperationError? {
        if let first = result.chain.problems.first {
            let place = result.chain.firstBadSnapshot.map { " at snapshot \($0)" } ?? ""
            return OperationError("the history is not intact\(place): \(first.message)")
        }
        guard result.storeProblems.isEmpty else {
            return OperationError("\(result.storeProblems.count) problem(s) in \(result.database)")
        }
        return nil
    }

    /// What an intact history prints on stdout.
    package static func report(_ result: HistoryVerification.Result) -> String {
        var text =
            "ok: \(result.database) passed integrity_check; every stored file of "
            + "\(result.heldSnapshots) snapshots re-hashed to its recorded SHA-256\n"
        text += chainLine(result.chain, publicKey: result.publicKeyPath)
        for (witness, snapshot) in result.chain.confirmedWitnesses {
            text += "ok: \(witness.chainHash) from \(witness.source) is snapshot \(snapshot)'s link\n"
        }
        return text
    }

    package static func chainLine(_ chain: ChainVerification, publicKey: String?) -> String {
        guard let head = chain.head else { return "ok: the chain is empty (no snapshot taken yet)\n" }
        let rotated = chain.links.count - chain.heldLinks
        var line =
            "ok: chain of \(chain.links.count) links intact (\(chain.heldLinks) held, \(rotated) rotated); "
            + "head \(head.snapshot) \(head.chainHash)"
        if let publicKey {
            line += "; \(chain.signedLinks) signatures verified with \(publicKey)"
            let unsigned = chain.links.count - chain.signedLinks
            if unsigned > 0 {
                line += " (\(unsigned) older links unsigned, covered by the first signed one)"
            }
        }
        return line + "\n"
    }
}
