import Foundation
import Glibc
import TestSupport

@testable import SnapshotStore

/// A small watched tree (`a.toml`, `d/b.toml`, the link `l` to `a.toml`) and one computed file,
/// with each kind of change a history test makes to it: what counts as a change is tested the
/// same way with and without a kept stamp digest.
final class ChangingTree {
    /// Every change ``apply(_:)`` knows; all but `touch` change the recorded state.
    static let changes = [
        "content", "mode", "owner", "link", "added", "removed", "virtual", "directory", "touch",
    ]

    let temp: TemporaryDirectory
    private var computed = [VirtualFile(path: "@effective/kms-server.toml", bytes: Array("x = 1\n".utf8))]

    init(_ temp: TemporaryDirectory) throws {
        self.temp = temp
        try temp.write("tree/a.toml", "threshold = 4\n")
        try temp.write("tree/d/b.toml", "port = 1\n")
        try FileManager.default.createSymbolicLink(atPath: temp.path("tree/l"), withDestinationPath: "a.toml")
    }

    /// The watched directory and the computed file, as a cycle hands them to the store.
    var source: CombinedSource {
        CombinedSource([DirectorySource(root: temp.path("tree")), ComputedFilesSource(files: computed)])
    }

    func apply(_ change: String) throws {
        switch change {
        case "content": try temp.write("tree/a.toml", "threshold = 5\n")
        case "mode": chmod(temp.path("tree/a.toml"), 0o600)
        case "owner": chown(temp.path("tree/a.toml"), 1234, 1234)
        case "link":
            unlink(temp.path("tree/l"))
            try FileManager.default.createSymbolicLink(atPath: temp.path("tree/l"), withDestinationPath: "d")
        case "added": try temp.write("tree/d/c.toml", "")
        case "removed": unlink(temp.path("tree/d/b.toml"))
        case "virtual":
            computed = [VirtualFile(path: "@effective/kms-server.toml", bytes: Array("x = 2\n".utf8))]
        case "directory": chmod(temp.path("tree/d"), 0o700)
        case "touch":
            var times = [timespec(tv_sec: 1_000_000, tv_nsec: 0), timespec(tv_sec: 1_000_000, tv_nsec: 0)]
            utimensat(AT_FDCWD, temp.path("tree/a.toml"), &times, 0)
        default: preconditionFailure("unknown change \(change)")
        }
    }
}
