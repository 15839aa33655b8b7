/// Why a JSON document could not be read, and where: callers prefix the document's name.
package enum JSONReadError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Not valid JSON (or refused by a limit of the reader) at `line:column` (column in bytes).
    case invalid(line: Int, column: Int, reason: String)
    /// Longer than the reader's ``JSONReader/Limits/maximumBytes``; refused before reading.
    case tooLarge(size: Int, limit: Int)

    /// `line:column: reason`, or the size refusal.
    package var description: String {
        switch self {
        case .invalid(let line, let column, let reason): return "\(line):\(column): \(reason)"
        case .tooLarge(let size, let limit): return "it is \(size) bytes, more than the \(limit) read"
        }
    }
}
