import Glibc

/// Who this process runs as.
package enum ProcessUser {
    /// The effective user id is root: only then can files be given their recorded owner.
    package static var isRoot: Bool { geteuid() == 0 }

    /// The effective user and group ids.
    package static var effectiveOwner: (owner: UInt32, group: UInt32) { (geteuid(), getegid()) }
}
