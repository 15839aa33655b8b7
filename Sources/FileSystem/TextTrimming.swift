extension StringProtocol {
    /// The text without leading and trailing characters for which `isTrimmed` is true: the one
    /// trimmer, for values read from files, `/proc` and the environment.
    package func trimming(where isTrimmed: (Character) -> Bool) -> String {
        String(drop(while: isTrimmed).reversed().drop(while: isTrimmed).reversed())
    }

    /// The text without leading and trailing white space (spaces, tabs, CR, LF, and the rest of
    /// Unicode's white space).
    package func trimmingWhitespace() -> String {
        trimming { $0.isWhitespace }
    }
}
