import Glibc

/// Runs work in the C.UTF-8 character set, for this thread only (`uselocale`).
///
/// libarchive converts names between the locale's character set and the UTF-8 of pax headers.
/// In the C locale every non-ASCII name fails that conversion (and one code path dereferences
/// the failed result); in C.UTF-8 a UTF-8 name is written as a standard pax `path`, and only a
/// name that is not UTF-8 is written as its raw bytes under `hdrcharset=BINARY`, which GNU tar
/// extracts byte for byte (with a warning that it does not know the keyword).
package enum ThreadLocale {
    // Only the character set matters (LC_CTYPE_MASK is a macro Swift does not import).
    // nonisolated(unsafe): created once at first use and never changed or freed; uselocale only
    // reads it, on whatever thread runs an export.
    private nonisolated(unsafe) static let utf8: locale_t? = newlocale(Int32(1) << LC_CTYPE, "C.UTF-8", nil)

    /// Runs `body` with this thread's character set C.UTF-8 (unchanged when the system lacks it),
    /// and restores the thread's previous locale after.
    package static func withUTF8<T>(_ body: () throws -> T) rethrows -> T {
        guard let utf8 else { return try body() }
        let previous = uselocale(utf8)
        defer { uselocale(previous) }
        return try body()
    }
}
