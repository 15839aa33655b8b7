/// Memory-allocator settings for a short-lived command, never for the daemon.
package enum HeapTuning {
    /// Asks glibc to grow the heap 64 MiB at a time. Parsing allocates many small objects from
    /// two threads; the second thread's arena otherwise grows one page per `mprotect` call
    /// (24,000 calls for a 20 MB file). Pages not touched are never made resident.
    package static func growHeapInLargeSteps() {
        _ = glibcMallopt(mTopPad, 64 << 20)
    }

    /// `M_TOP_PAD` from glibc's <malloc.h>, which the Glibc module does not import.
    private static let mTopPad: Int32 = -2
}

/// glibc's `int mallopt(int param, int value)`, declared here because <malloc.h> is not part
/// of the Glibc module map.
@_silgen_name("mallopt")
private func glibcMallopt(_ parameter: Int32, _ value: Int32) -> Int32
