import Glibc

/// The signals the daemon handles, and switching off their default action so that a Dispatch
/// signal source (or nobody, for `SIGPIPE`) sees them instead.
package enum ProcessSignals {
    package static let terminate: Int32 = SIGTERM
    package static let interrupt: Int32 = SIGINT
    package static let hangUp: Int32 = SIGHUP
    package static let brokenPipe: Int32 = SIGPIPE

    /// Ignores `number` in this process: its default action (terminate) no longer applies.
    package static func ignore(_ number: Int32) {
        signal(number, SIG_IGN)
    }
}
