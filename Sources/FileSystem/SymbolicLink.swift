import Glibc

/// Reading a symbolic link without following it.
package enum SymbolicLink {
    /// The longest target a link can hold (`PATH_MAX`).
    package static let maximumTargetLength = Int(PATH_MAX)

    /// The exact bytes of the target of the link whose path bytes are `path` (neither need be UTF-8).
    package static func target(of path: [UInt8]) throws(ErrnoCode) -> [UInt8] {
        var target = [CChar](repeating: 0, count: maximumTargetLength + 1)
        let length = RawPath.withCString(path) { readlink($0, &target, target.count - 1) }
        guard length >= 0 else { throw ErrnoCode(errno) }
        return target[..<length].map { UInt8(bitPattern: $0) }
    }
}
