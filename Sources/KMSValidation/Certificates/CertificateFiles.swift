#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// How `validate` reaches the files kms-server reads, and what "soon" means for an expiry.
///
/// kms-server opens a `tls_cert.path` as written (`std::fs::read_to_string`, conf/threshold.rs:
/// 134-146): a relative path from its working directory, an absolute one in its own file system
/// (often a container's). `workingDirectory` and `root` say where those are on this machine.
package struct CertificateFiles: Sendable {
    /// kms-server's working directory on this machine (`--workdir`); relative paths start here.
    /// Nil: the current directory.
    package var workingDirectory: String?
    /// Where kms-server's `/` is on this machine (`--root`, e.g. a container's mounted root);
    /// absolute paths are read below it. Nil: as written.
    package var root: String?
    /// The moment validity is judged at.
    package var now: Date
    /// A certificate expiring within this many days is a warning (default 30).
    package var warningDays: Int

    package init(
        workingDirectory: String? = nil, root: String? = nil, now: Date = Date(), warningDays: Int = 30
    ) {
        self.workingDirectory = workingDirectory
        self.root = root
        self.now = now
        self.warningDays = warningDays
    }

    /// Where the file kms-server opens as `configured` is on this machine.
    package func machinePath(of configured: String) -> String {
        if configured.hasPrefix("/") {
            guard let root, !root.isEmpty else { return configured }
            return Self.join(root, String(configured.drop { $0 == "/" }))
        }
        guard let workingDirectory, !workingDirectory.isEmpty, workingDirectory != "." else {
            return configured
        }
        return Self.join(workingDirectory, configured)
    }

    private static func join(_ directory: String, _ relative: String) -> String {
        directory.hasSuffix("/") ? directory + relative : directory + "/" + relative
    }
}
