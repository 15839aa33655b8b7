/// Why an operation stopped, in the operator's words: an input it was given (a witness file, an
/// export's snapshot) that it cannot use. Errors of the libraries it calls pass through unchanged.
package struct OperationError: Error, CustomStringConvertible, Sendable {
    package let description: String
    package init(_ description: String) { self.description = description }
}
