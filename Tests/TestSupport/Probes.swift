import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// What this machine and this process can do, each probed once, for `.enabled(if:)`: a test
/// that needs something missing shows as skipped with its reason, not as passed.
public enum Probe {
    /// Whether this process may mount file systems (a tmpfs; read-only bind mounts need the
    /// same permission): root with CAP_SYS_ADMIN in its mount namespace.
    public static let canMount: Bool = {
        (try? withTemporaryDirectory { directory in
            guard mount("tmpfs", directory.path, "tmpfs", 0, "size=64k") == 0 else { return false }
            umount2(directory.path, Int32(MNT_DETACH))
            return true
        }) ?? false
    }()

    /// Whether `python3` runs and has `tomllib` (Python 3.11 or later).
    public static let hasPythonTomllib: Bool = {
        (try? runProcess("/usr/bin/env", ["python3", "-c", "import tomllib"], timeout: 30))?.status == 0
    }()

    /// Whether `python3` can import `jsonschema` (scripts/install-deps --tests installs it).
    public static let hasPythonJSONSchema: Bool = {
        (try? runProcess("/usr/bin/env", ["python3", "-c", "import jsonschema"], timeout: 30))?.status == 0
    }()

    /// The first executable called `name` on `$PATH` (then /usr/sbin, /usr/bin, /sbin, /bin).
    public static func executable(named name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        let directories =
            path.split(separator: ":").map(String.init) + ["/usr/sbin", "/usr/bin", "/sbin", "/bin"]
        return directories.lazy.map { $0 + "/" + name }.first {
            FileManager.default.isExecutableFile(atPath: $0)
        }
    }
}
