import CArchive

/// libarchive's functions, loaded once on first use (see `Sources/CArchive/shim.h` for why it
/// is not linked).
enum ArchiveLibrary {
    private static let loaded: Result<CArchiveAPI, BackupError> = {
        var api = CArchiveAPI()
        if let failure = carchive_load(&api) {
            return .failure(.archiveLibraryMissing(String(cString: failure)))
        }
        return .success(api)
    }()

    /// The functions, or why libarchive cannot be used on this machine.
    static func api() throws(BackupError) -> CArchiveAPI {
        try loaded.get()
    }
}

extension CArchiveAPI: @retroactive @unchecked Sendable {}  // function pointers set once, then only read

/// libarchive's message for the last error on `archive`.
func archiveMessage(_ api: CArchiveAPI, _ archive: OpaquePointer?) -> String {
    guard let archive, let text = api.archive_error_string(archive) else { return "unknown error" }
    return String(cString: text)
}
