/// Why an alert could not be delivered somewhere; logged, never fatal to a cycle.
package enum AlertingError: Error, CustomStringConvertible, Sendable, Equatable {
    case eventLog(path: String, reason: String)
    case metrics(path: String, reason: String)

    package var description: String {
        switch self {
        case .eventLog(let path, let reason):
            return
                "cannot append to the event log \(path): \(reason); check [log] json_file and its directory"
        case .metrics(let path, let reason):
            return
                "cannot write the metrics file \(path): \(reason); check [metrics] textfile and its directory"
        }
    }
}
