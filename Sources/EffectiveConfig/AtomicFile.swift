import DriftCore
import FileSystem

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// Writes a file so that readers see the old content or the new, never a part: a temporary
/// file beside it with the final mode, fsynced, then renamed over it.
public enum AtomicFile {
    public static func write(_ text: String, to path: String, mode: mode_t) throws(EffectiveConfigError) {
        let directory = path.contains("/") ? String(path[..<path.lastIndex(of: "/")!]) : "."
        var template = Array(
            ((directory.isEmpty ? "/" : directory) + "/.kms-drift-render-XXXXXX").utf8CString)
        let descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard descriptor >= 0 else { throw .write(path: path, reason: POSIX.errorText()) }
        let temporary = String(
            decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        var bytes = Array(text.utf8)
        var offset = 0
        var failure: String?
        if fchmod(descriptor, mode) != 0 { failure = POSIX.errorText() }
        while failure == nil && offset < bytes.count {
            let written = bytes.withUnsafeMutableBytes {
                Glibc.write(descriptor, $0.baseAddress! + offset, $0.count - offset)
            }
            if written < 0 {
                if errno == EINTR { continue }
                failure = POSIX.errorText()
            } else {
                offset += written
            }
        }
        if failure == nil && fsync(descriptor) != 0 { failure = POSIX.errorText() }
        close(descriptor)
        if failure == nil && rename(temporary, path) != 0 { failure = POSIX.errorText() }
        if let failure {
            unlink(temporary)
            throw .write(path: path, reason: failure)
        }
        bytes.removeAll()
    }
}
