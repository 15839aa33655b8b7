import FileSystem
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A directory of its own for one test, made by `withTemporaryDirectory` (or the
/// `.temporaryDirectory` trait) and removed when that scope ends, even when the body throws.
/// The conveniences take paths relative to the directory and create parent directories.
public struct TemporaryDirectory: Sendable {
    /// The directory itself.
    public let url: URL

    /// The directory itself, as a path.
    public var path: String { url.path }

    /// `relative` inside the directory, creating nothing.
    public func url(_ relative: String) -> URL { url.appendingPathComponent(relative) }

    /// `relative` inside the directory as a path, creating nothing.
    public func path(_ relative: String) -> String { url(relative).path }

    /// Writes `bytes` at `relative` (creating parent directories) with `mode`; returns the path.
    @discardableResult
    public func write(_ relative: String, _ bytes: [UInt8], mode: mode_t = 0o644) throws -> String {
        try writeFile(bytes, to: url(relative), mode: mode)
    }

    /// Writes `text` as UTF-8 at `relative` (creating parent directories) with `mode`; returns the path.
    @discardableResult
    public func write(_ relative: String, _ text: String, mode: mode_t = 0o644) throws -> String {
        try writeFile(Array(text.utf8), to: url(relative), mode: mode)
    }

    /// Writes a `/bin/sh` script with `body` at `name`, executable; returns its path.
    @discardableResult
    public func script(_ name: String, _ body: String) throws -> String {
        try write(name, "#!/bin/sh\n" + body + "\n", mode: 0o755)
    }

    /// Creates the directory `relative` (and its parents); returns its URL.
    @discardableResult
    public func makeDirectory(_ relative: String) throws -> URL {
        let directory = url(relative)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory
    }

    /// The directory `relative` inside this one, created, with the same conveniences; it goes
    /// when this one is removed. For a test that needs two separate trees.
    public func subdirectory(_ relative: String) throws -> TemporaryDirectory {
        TemporaryDirectory(url: try makeDirectory(relative))
    }

    /// The bytes of the file at `relative`.
    public func read(_ relative: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: url(relative)))
    }

    /// The text (UTF-8) of the file at `relative`.
    public func readText(_ relative: String) throws -> String {
        String(decoding: try read(relative), as: UTF8.self)
    }

    /// The permission bits of `relative` (the link itself for a symbolic link); 0 if it is missing.
    public func mode(_ relative: String) -> mode_t {
        var status = stat()
        guard lstat(path(relative), &status) == 0 else { return 0 }
        return status.st_mode & 0o7777
    }

    /// The directory of the `.temporaryDirectory` trait around the running test.
    @TaskLocal public static var scoped: TemporaryDirectory?

    /// The directory the `.temporaryDirectory` trait made for the running test.
    public static func current() throws -> TemporaryDirectory {
        guard let scoped else { throw TemporaryDirectoryError.noTraitInScope }
        return scoped
    }

    /// Makes a fresh, empty directory under `$TMPDIR` (or /tmp), readable only by this user.
    static func make() throws -> TemporaryDirectory {
        let base = FileManager.default.temporaryDirectory.path
        var template = Array((base + "/kms-drift-test-XXXXXX").utf8CString)
        let made = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
        guard made != nil else {
            throw TemporaryDirectoryError.cannotCreate(base, String(cString: strerror(errno)))
        }
        let path = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return TemporaryDirectory(url: URL(fileURLWithPath: path, isDirectory: true))
    }

    func remove() {
        try? FileManager.default.removeItem(at: url)
    }
}

/// Why a test could not get its temporary directory.
public enum TemporaryDirectoryError: Error, CustomStringConvertible {
    case cannotCreate(String, String)
    case noTraitInScope

    public var description: String {
        switch self {
        case .cannotCreate(let base, let reason):
            return "cannot create a temporary directory in \(base): \(reason)"
        case .noTraitInScope:
            return "TemporaryDirectory.current() needs the .temporaryDirectory trait on the test or its suite"
        }
    }
}

/// Runs `body` with a fresh temporary directory and removes the directory afterwards, also
/// when `body` throws.
public func withTemporaryDirectory<Result>(_ body: (TemporaryDirectory) throws -> Result) throws -> Result {
    let directory = try TemporaryDirectory.make()
    defer { directory.remove() }
    return try body(directory)
}

/// Runs the asynchronous `body` with a fresh temporary directory and removes the directory
/// afterwards, also when `body` throws.
public func withTemporaryDirectory<Result>(
    isolation: isolated (any Actor)? = #isolation,
    _ body: (TemporaryDirectory) async throws -> sending Result
) async throws -> sending Result {
    let directory = try TemporaryDirectory.make()
    defer { directory.remove() }
    return try await body(directory)
}

/// Writes `bytes` at `url` atomically (creating parent directories) and sets `mode`; returns
/// the path. Atomic, so a process watching the file never reads it half-written.
@discardableResult
public func writeFile(_ bytes: [UInt8], to url: URL, mode: mode_t = 0o644) throws -> String {
    try FileManager.default.createDirectory(
        at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    // O_CLOEXEC, not Foundation's atomic write (mkstemp): a process that another test spawns
    // meanwhile must not inherit the open file, or executing it fails with "Text file busy".
    let temporary = url.path + ".tmp-\(getpid())-\(UInt64.random(in: 0...UInt64.max))"
    let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
    guard descriptor >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
    let code = POSIX.writeAll(descriptor, bytes)
    if code != 0 {
        close(descriptor)
        unlink(temporary)
        throw POSIXError(POSIXErrorCode(rawValue: code) ?? .EIO)
    }
    close(descriptor)
    guard chmod(temporary, mode) == 0, rename(temporary, url.path) == 0 else {
        let code = errno
        unlink(temporary)
        throw POSIXError(POSIXErrorCode(rawValue: code) ?? .EPERM)
    }
    return url.path
}

/// Writes `text` as UTF-8 at `url` atomically (creating parent directories) and sets `mode`;
/// returns the path.
@discardableResult
public func writeFile(_ text: String, to url: URL, mode: mode_t = 0o644) throws -> String {
    try writeFile(Array(text.utf8), to: url, mode: mode)
}
