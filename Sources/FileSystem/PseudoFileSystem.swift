import Glibc

/// Kernel pseudo file systems: their "regular" files are generated on read and may never end
/// (`/proc/<pid>/pagemap`, `/sys/kernel/debug/…`), so kms-drift neither watches nor enters them.
package enum PseudoFileSystem {
    /// `statfs` magic numbers (linux/magic.h) and the names operators know them by.
    static let magicNumbers: [Int: String] = [
        0x9fa0: "procfs", 0x6265_6572: "sysfs", 0x1cd1: "devpts", 0x6462_6720: "debugfs",
        0x7472_6163: "tracefs", 0x7363_6673: "securityfs", 0x0027_e0eb: "cgroupfs",
        0x6367_7270: "cgroup2fs", 0xcafe_4a11: "bpffs", 0x6165_676c: "pstorefs",
        0xde5e_81e4: "efivarfs", 0x6265_6570: "configfs", 0x6573_5543: "fusectl",
        0x4249_4e4d: "binfmt_misc", 0xf97c_ff8c: "selinuxfs", 0x1980_0202: "mqueue", 0x6e73_6673: "nsfs",
    ]

    /// The name of the pseudo file system holding the open `descriptor`, or `nil` for a real one.
    package static func name(of descriptor: Int32) -> String? {
        // `struct statfs` (120 bytes on 64-bit Linux) starts with `f_type`, a `long`.
        var buffer = [Int](repeating: 0, count: 32)
        let found = buffer.withUnsafeMutableBytes { linuxFstatfs(descriptor, $0.baseAddress!) }
        guard found == 0 else { return nil }
        return magicNumbers[buffer[0]]
    }
}

/// glibc's `int fstatfs(int fd, struct statfs *buf)`, declared here because <sys/vfs.h> is not
/// part of the Glibc module map.
@_silgen_name("fstatfs")
private func linuxFstatfs(_ descriptor: Int32, _ buffer: UnsafeMutableRawPointer) -> Int32
