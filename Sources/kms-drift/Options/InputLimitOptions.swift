import ArgumentParser
import FileSystem

/// `--max-size`: the largest input file `check`, `validate`, `consistency` and `fingerprint` read.
/// FIFOs, devices and sockets are refused whatever the size.
struct InputLimitOptions: ParsableArguments {
    @Option(
        name: .customLong("max-size"),
        help: ArgumentHelp(
            "Refuse input files larger than this: bytes, or with K, M, G (KiB, MiB, GiB).",
            valueName: "size"))
    var maximumSize: ByteSize = ByteSize(bytes: InputFile.defaultMaximumSize)
}

/// A size as people type it: `4096`, `512K`, `64M`, `1G`, `2GiB` (powers of 1024).
struct ByteSize: ExpressibleByArgument, CustomStringConvertible, Sendable {
    let bytes: Int64

    init(bytes: Int64) { self.bytes = bytes }

    init?(argument: String) {
        let text = argument.uppercased()
        let digits = text.prefix { $0.isASCII && $0.isNumber }
        let unit = text.dropFirst(digits.count)
        let shifts: [Substring: Int64] = [
            "": 0, "B": 0, "K": 10, "KB": 10, "KIB": 10, "M": 20, "MB": 20, "MIB": 20, "G": 30, "GB": 30,
            "GIB": 30,
        ]
        guard !digits.isEmpty, let number = Int64(digits), number > 0, let shift = shifts[unit],
            number <= Int64.max >> shift
        else { return nil }
        bytes = number << shift
    }

    /// The size as it would be typed: the largest unit that divides it (`64M`, `512K`, `1000`),
    /// which is also how `--help` and the man pages show the default.
    var description: String {
        for (shift, unit) in [(30, "G"), (20, "M"), (10, "K")] where bytes != 0 && bytes % (1 << shift) == 0 {
            return "\(bytes >> shift)\(unit)"
        }
        return "\(bytes)"
    }

    static var defaultCompletionKind: CompletionKind { .default }
}
