import FileSystem
import FoundationEssentials

/// Small renderings shared by the commands that print tables.
package enum Formatting {
    /// `2026-11-25 09:10:02Z`: UTC, to the second, sortable.
    package static func timestamp(_ date: Date) -> String {
        POSIX.utcTimestamp(seconds: Int64(date.timeIntervalSince1970.rounded(.down)), separator: " ")
    }

    /// `512 bytes`, `1.2 KiB`, `230.5 MiB` (`ByteCountText`, the one size formatter).
    package static func size(_ bytes: Int64) -> String { ByteCountText.text(bytes) }

    /// Left-aligned columns separated by two spaces.
    package static func table(_ rows: [[String]]) -> String {
        guard let width = rows.map(\.count).max() else { return "" }
        var widths = [Int](repeating: 0, count: width)
        for row in rows {
            for (column, cell) in row.enumerated() { widths[column] = max(widths[column], cell.count) }
        }
        return rows.map { row in
            row.enumerated().map { column, cell in
                column == row.count - 1
                    ? cell : cell + String(repeating: " ", count: widths[column] - cell.count)
            }.joined(separator: "  ")
        }.joined(separator: "\n") + "\n"
    }
}
