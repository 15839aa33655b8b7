import Glibc

/// A new directory only this user can enter (0700, `mkdtemp`), for files that must not be seen
/// by others while they exist (an imported export holds private keys).
package enum PrivateTemporaryDirectory {
    /// Creates `base/namePrefixXXXXXX` with a unique suffix and returns its path.
    package static func create(in base: String, namePrefix: String) throws(ErrnoCode) -> String {
        var template = Array((base + "/" + namePrefix + "XXXXXX").utf8CString)
        guard template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) != nil else {
            throw ErrnoCode(errno)
        }
        return String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
