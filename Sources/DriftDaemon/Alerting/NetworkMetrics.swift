import NetworkAgreement

/// `kms_drift_network_parties{state=…}`: the parties of the keyring by the state of their last
/// statement, so a dashboard sees a party drifting, falling silent or sending bad statements.
enum NetworkMetrics {
    static func render(_ counts: [String: Int]) -> String {
        var text = """
            # HELP kms_drift_network_parties Parties of the network by the state of their statement at the last check.
            # TYPE kms_drift_network_parties gauge

            """
        for state in NetworkReport.State.allCases {
            text += "kms_drift_network_parties{state=\"\(state.rawValue)\"} \(counts[state.rawValue] ?? 0)\n"
        }
        return text + "\n"
    }
}
