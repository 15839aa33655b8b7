extension StringProtocol {
    /// The text without leading and trailing white space (spaces, tabs, CR, LF, and the rest of
    /// Unicode's white space): the one trimmer for values read from files and `/proc`.
    public func trimmingWhitespace() -> String {
        String(drop { $0.isWhitespace }.reversed().drop { $0.isWhitespace }.reversed())
    }
}
