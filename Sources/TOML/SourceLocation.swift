/// A place in a TOML source file, as an editor shows it: 1-based line and column.
///
/// Columns count Unicode scalars, not bytes, so a position points at the same character an
/// operator sees in their editor even after a non-ASCII string earlier on the line.
public struct SourceLocation: Hashable, Comparable, Sendable, CustomStringConvertible {
    // Stored as 32-bit numbers (clamped) so every key and value can carry two locations cheaply.
    private var storedLine: Int32
    private var storedColumn: Int32

    /// The 1-based line number.
    public var line: Int {
        get { Int(storedLine) }
        set { storedLine = Int32(clamping: newValue) }
    }
    /// The 1-based column, in Unicode scalars.
    public var column: Int {
        get { Int(storedColumn) }
        set { storedColumn = Int32(clamping: newValue) }
    }

    public init(line: Int, column: Int) {
        self.storedLine = Int32(clamping: line)
        self.storedColumn = Int32(clamping: column)
    }

    /// The start of a file; used for the root table, which has no header.
    public static let start = SourceLocation(line: 1, column: 1)

    public static func < (lhs: SourceLocation, rhs: SourceLocation) -> Bool {
        (lhs.line, lhs.column) < (rhs.line, rhs.column)
    }

    public var description: String { "\(line):\(column)" }
}
