import Dispatch
import SnapshotStore

/// Checks every exported file's stored content against its size and SHA-256 on a second
/// thread, while the exporting thread writes the archive: decoding and hashing are most of an
/// export's work, and the archive never needs the decoded bytes of a chunk passed through.
///
/// `@unchecked Sendable`: the decoder, the hasher and the results are touched only on `queue`;
/// the exporting thread hands chunks over with `async` and reads the outcome after `sync`.
final class ContentVerifier: @unchecked Sendable {
    private let queue = DispatchQueue(label: "kms-drift.export.verify")
    /// At most this many chunks (1 MiB each at most) wait for the verifying thread.
    private let slots = DispatchSemaphore(value: 32)
    private let decoder = ChunkDecoder()
    private var hasher = SHA256Stream()
    private var size: Int64 = 0
    private var damaged = false
    private var failure: BackupError?

    /// Starts a new file.
    func begin() {
        queue.async { [self] in
            hasher = SHA256Stream()
            size = 0
            damaged = false
        }
    }

    /// Queues one chunk of the current file.
    func add(_ chunk: StoredChunk) {
        slots.wait()
        queue.async { [self] in
            defer { slots.signal() }
            guard !damaged, decoder.withContent(of: chunk, { hasher.update($0) }) != nil else {
                damaged = true
                return
            }
            size += Int64(chunk.length)
        }
    }

    /// Ends the current file, which must be `expectedSize` bytes hashing to `expected`.
    func end(expected: ContentHash, expectedSize: Int64, path: String) {
        queue.async { [self] in
            guard failure == nil else { return }
            if damaged || size != expectedSize || hasher.finalize() != expected {
                failure = .damaged(
                    path: path,
                    reason: "its stored content no longer matches its SHA-256; run kms-drift verify")
            }
        }
    }

    /// Waits for every queued check; throws the first file that failed.
    func finish() throws {
        let failure = queue.sync { self.failure }
        if let failure { throw failure }
    }
}
