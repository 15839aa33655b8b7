/// A size as a person reads it, the one way kms-drift prints sizes (tables, limits, errors):
/// `512 bytes`, `3.8 KiB`, `64 MiB`, `1.5 GiB` (powers of 1024, one decimal when it says
/// something).
package enum ByteCountText {
    package static func text(_ bytes: Int64) -> String {
        let units = ["KiB", "MiB", "GiB", "TiB"]
        guard bytes >= 1024 else { return bytes == 1 ? "1 byte" : "\(bytes) bytes" }
        var value = Double(bytes) / 1024
        var unit = 0
        while value >= 1024 && unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        let tenths = Int((value * 10).rounded())
        return (tenths % 10 == 0 ? "\(tenths / 10)" : "\(tenths / 10).\(tenths % 10)") + " " + units[unit]
    }
}
