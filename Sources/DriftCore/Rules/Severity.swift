/// How urgently an operator should look at a difference.
package enum Severity: String, CaseIterable, Comparable, Sendable, CustomStringConvertible {
    /// Changes what the node trusts or where its keys live: threshold, peers, TLS, vault storage.
    case critical
    /// Changes how the node behaves or must agree with the other parties: ports, timeouts, limits.
    case warning
    /// Cosmetic for security and availability: telemetry names, log settings.
    case info

    private var rank: Int {
        switch self {
        case .critical: return 2
        case .warning: return 1
        case .info: return 0
        }
    }

    /// `critical > warning > info`.
    package static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rank < rhs.rank }

    package var description: String { rawValue }
}
