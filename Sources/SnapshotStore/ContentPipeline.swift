import Dispatch
import FileSystem

/// Small files read, hashed and compressed on Dispatch's worker threads (no more at once than
/// there are processors) while the snapshot writer's thread, the only one that touches the
/// database, records them in the order it handed them over.
///
/// Hashing and compressing are most of a first snapshot's processor time; SQLite's inserts must stay
/// on one thread inside one transaction. At most ``window`` files are in flight, each of less than
/// one chunk, so memory stays bounded whatever the tree's size.
final class ContentPipeline {
    /// One file handed over: what the writer knew when it opened it, and the worker's answer.
    final class Job: @unchecked Sendable {
        let path: String
        let pathID: Int64
        /// The file's attributes as found once it was opened.
        let attributes: EntryAttributes
        /// Owned by the job from the hand-over; the writer closes it once the job is recorded.
        let descriptor: Int32
        /// The problems the writer had recorded, not counting those of earlier jobs, when this file
        /// was handed over: where a problem of this file goes so that problems keep the walk's order.
        let problemsBefore: Int
        /// Written once, by the worker, before `done` is signalled; read by the writer only after
        /// waiting on `done`. That order is what makes the unchecked `Sendable` safe.
        private var answer: BlobStore.Preparation?
        private let done = DispatchSemaphore(value: 0)

        init(path: String, pathID: Int64, attributes: EntryAttributes, descriptor: Int32, problemsBefore: Int) {
            self.path = path
            self.pathID = pathID
            self.attributes = attributes
            self.descriptor = descriptor
            self.problemsBefore = problemsBefore
        }

        fileprivate func prepare() {
            answer = BlobStore.prepare(descriptor: descriptor, expectedSize: Int(attributes.stamp?.size ?? 0))
            done.signal()
        }

        /// The worker's answer, waiting for it.
        fileprivate func waitForPreparation() -> BlobStore.Preparation {
            done.wait()
            guard let answer else { preconditionFailure("a job signals only once it has its answer") }
            return answer
        }
    }

    /// A file handed over, with the worker's answer.
    struct Prepared {
        let job: Job
        let preparation: BlobStore.Preparation
    }

    /// Files in flight at most: a few per processor keeps every worker busy while the writer inserts.
    let window: Int
    /// Problems of jobs recorded so far (see ``Job/problemsBefore``).
    var recordedProblems = 0
    private var pending: [Job] = []
    private let workers = DispatchQueue(label: "kms-drift.snapshot-content", attributes: .concurrent)

    init(window: Int = 4 * DirectoryWalker.onlineProcessors) {
        self.window = window
    }

    /// Hands a file over to a worker; its descriptor now belongs to the job.
    func submit(_ job: Job) {
        pending.append(job)
        workers.async { job.prepare() }
    }

    /// Files handed over and not yet taken back.
    var pendingCount: Int { pending.count }

    /// The oldest job handed over, once its worker is done; `nil` when none is in flight.
    func takeOldest() -> Prepared? {
        guard !pending.isEmpty else { return nil }
        let job = pending.removeFirst()
        return Prepared(job: job, preparation: job.waitForPreparation())
    }

    deinit {
        // A snapshot that failed part-way leaves files in flight: let their workers finish, then
        // close what they read.
        while let prepared = takeOldest() { OpenFile.close(prepared.job.descriptor) }
    }
}
