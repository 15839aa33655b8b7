import TOML

/// A ``DriftReport`` as bytes and back, exactly: every file, difference, key path, value (tables
/// and arrays with their source locations), severity and summary. What lets a cycle that finds
/// the same state against the same reference reuse the report it computed last time instead of
/// parsing every changed file again (see `ReportCache` in DriftOperations).
///
/// The bytes are kept only by this tool, in its own store; anything unexpected in them (another
/// format, a truncated record, a nesting deeper than a parser would build) reads as `nil`, and the
/// caller compares again.
package enum ReportEncoding {
    /// Changed whenever the layout below changes: bytes of another version read as `nil`.
    package static let formatVersion: UInt8 = 1
    private static let magic: [UInt8] = Array("KDRR".utf8)
    /// Deeper nesting is refused when reading, as the parser refuses it when parsing.
    private static let maximumDepth = 1_000

    package static func encode(_ report: DriftReport) -> [UInt8] {
        var writer = Writer()
        writer.bytes += magic
        writer.bytes.append(formatVersion)
        writer.string(report.reference)
        writer.string(report.current)
        writer.count(report.files.count)
        for file in report.files {
            writer.string(file.path)
            writer.string(file.status.rawValue)
            writer.string(file.fileSeverity.rawValue)
            writer.optionalString(file.referenceSummary)
            writer.optionalString(file.currentSummary)
            writer.count(file.differences.count)
            for difference in file.differences { writer.difference(difference) }
        }
        return writer.bytes
    }

    package static func decode(_ bytes: [UInt8]) -> DriftReport? {
        var reader = Reader(bytes: bytes)
        guard reader.take(magic.count) == magic, reader.byte() == formatVersion,
            let reference = reader.string(), let current = reader.string(), let fileCount = reader.count()
        else { return nil }
        var files: [FileDrift] = []
        for _ in 0..<fileCount {
            guard let path = reader.string(), let status = reader.string().flatMap(FileDrift.Status.init),
                let severity = reader.string().flatMap(Severity.init),
                let referenceSummary = reader.optionalString(),
                let currentSummary = reader.optionalString(), let differenceCount = reader.count()
            else { return nil }
            var differences: [Difference] = []
            for _ in 0..<differenceCount {
                guard let difference = reader.difference() else { return nil }
                differences.append(difference)
            }
            files.append(
                FileDrift(
                    path: path, status: status, differences: differences, fileSeverity: severity,
                    referenceSummary: referenceSummary, currentSummary: currentSummary))
        }
        guard reader.isAtEnd else { return nil }
        return DriftReport(reference: reference, current: current, files: files)
    }

    private struct Writer {
        var bytes: [UInt8] = []

        mutating func unsigned(_ value: UInt64) {
            var value = value
            while value >= 0x80 {
                bytes.append(UInt8(truncatingIfNeeded: value) | 0x80)
                value >>= 7
            }
            bytes.append(UInt8(value))
        }

        mutating func signed(_ value: Int64) {
            unsigned(UInt64(bitPattern: (value << 1) ^ (value >> 63)))
        }

        mutating func count(_ value: Int) { unsigned(UInt64(value)) }

        mutating func string(_ value: String) {
            count(value.utf8.count)
            bytes += value.utf8
        }

        mutating func optionalString(_ value: String?) {
            guard let value else { return bytes.append(0) }
            bytes.append(1)
            string(value)
        }

        mutating func location(_ location: SourceLocation?) {
            guard let location else { return bytes.append(0) }
            bytes.append(1)
            signed(Int64(location.line))
            signed(Int64(location.column))
        }

        mutating func difference(_ difference: Difference) {
            string(difference.kind.rawValue)
            count(difference.path.segments.count)
            for segment in difference.path.segments {
                switch segment {
                case .key(let key):
                    bytes.append(0)
                    string(key)
                case .position(let position):
                    bytes.append(1)
                    signed(Int64(position))
                case .identity(let key, let value):
                    bytes.append(2)
                    string(key)
                    string(value)
                }
            }
            optionalValue(difference.oldValue)
            optionalValue(difference.newValue)
            location(difference.oldLocation)
            location(difference.newLocation)
            string(difference.severity.rawValue)
            optionalString(difference.origin)
        }

        mutating func optionalValue(_ value: TOMLValue?) {
            guard let value else { return bytes.append(0) }
            bytes.append(1)
            self.value(value)
        }

        mutating func value(_ value: TOMLValue) {
            switch value {
            case .string(let text):
                bytes.append(0)
                string(text)
            case .integer(let integer):
                bytes.append(1)
                signed(integer)
            case .float(let float):
                bytes.append(2)
                unsigned(float.bitPattern)
            case .boolean(let boolean):
                bytes += [3, boolean ? 1 : 0]
            case .dateTime(let dateTime):
                bytes.append(4)
                bytes.append(
                    (dateTime.date != nil ? 1 : 0) | (dateTime.time != nil ? 2 : 0)
                        | (dateTime.offsetMinutes != nil ? 4 : 0))
                if let date = dateTime.date {
                    for part in [date.year, date.month, date.day] { signed(Int64(part)) }
                }
                if let time = dateTime.time {
                    for part in [time.hour, time.minute, time.second, time.nanosecond] { signed(Int64(part)) }
                }
                if let offset = dateTime.offsetMinutes { signed(Int64(offset)) }
            case .array(let array):
                bytes.append(5)
                location(array.location)
                bytes.append(array.isArrayOfTables ? 1 : 0)
                count(array.count)
                for (element, elementLocation) in zip(array.elements, array.locations) {
                    location(elementLocation)
                    self.value(element)
                }
            case .table(let table):
                bytes.append(6)
                location(table.location)
                bytes.append(table.origin.rawValue)
                count(table.entries.count)
                for entry in table.entries {
                    string(entry.key)
                    location(entry.keyLocation)
                    location(entry.valueLocation)
                    self.value(entry.value)
                }
            }
        }
    }

    private struct Reader {
        let bytes: [UInt8]
        var offset = 0
        var depth = 0

        var isAtEnd: Bool { offset == bytes.count }

        mutating func byte() -> UInt8? {
            guard offset < bytes.count else { return nil }
            defer { offset += 1 }
            return bytes[offset]
        }

        mutating func take(_ count: Int) -> [UInt8]? {
            guard count >= 0, count <= bytes.count - offset else { return nil }
            defer { offset += count }
            return Array(bytes[offset..<offset + count])
        }

        mutating func unsigned() -> UInt64? {
            var value: UInt64 = 0
            var shift: UInt64 = 0
            while shift < 64 {
                guard let byte = byte() else { return nil }
                value |= UInt64(byte & 0x7f) << shift
                if byte & 0x80 == 0 { return value }
                shift += 7
            }
            return nil
        }

        mutating func signed() -> Int64? {
            guard let raw = unsigned() else { return nil }
            return Int64(bitPattern: (raw >> 1) ^ (0 &- (raw & 1)))
        }

        mutating func int() -> Int? { signed().flatMap { Int(exactly: $0) } }

        /// A count no larger than the bytes left: a damaged count cannot make the reader allocate.
        mutating func count() -> Int? {
            guard let value = unsigned(), value <= UInt64(bytes.count - offset) else { return nil }
            return Int(value)
        }

        mutating func string() -> String? {
            guard let length = count(), let utf8 = take(length) else { return nil }
            return String(validating: utf8, as: UTF8.self)
        }

        /// `.some(nil)` for an absent string, `nil` for damaged bytes.
        mutating func optionalString() -> String?? {
            switch byte() {
            case 0: return .some(nil)
            case 1: return string().map { .some($0) } ?? nil
            default: return nil
            }
        }

        mutating func location() -> SourceLocation?? {
            switch byte() {
            case 0: return .some(nil)
            case 1:
                guard let line = int(), let column = int() else { return nil }
                return .some(SourceLocation(line: line, column: column))
            default: return nil
            }
        }

        mutating func requiredLocation() -> SourceLocation? {
            guard case .some(.some(let location)) = location() else { return nil }
            return location
        }

        mutating func difference() -> Difference? {
            guard let kind = string().flatMap(Difference.Kind.init), let segmentCount = count() else {
                return nil
            }
            var segments: [KeyPath.Segment] = []
            for _ in 0..<segmentCount {
                switch byte() {
                case 0:
                    guard let key = string() else { return nil }
                    segments.append(.key(key))
                case 1:
                    guard let position = int() else { return nil }
                    segments.append(.position(position))
                case 2:
                    guard let key = string(), let value = string() else { return nil }
                    segments.append(.identity(key: key, value: value))
                default:
                    return nil
                }
            }
            guard let oldValue = optionalValue(), let newValue = optionalValue(),
                let oldLocation = location(),
                let newLocation = location(), let severity = string().flatMap(Severity.init),
                let origin = optionalString()
            else { return nil }
            var difference = Difference(
                kind: kind, path: KeyPath(segments), oldValue: oldValue, newValue: newValue,
                oldLocation: oldLocation, newLocation: newLocation, severity: severity)
            difference.origin = origin
            return difference
        }

        mutating func optionalValue() -> TOMLValue?? {
            switch byte() {
            case 0: return .some(nil)
            case 1: return value().map { .some($0) } ?? nil
            default: return nil
            }
        }

        mutating func value() -> TOMLValue? {
            depth += 1
            defer { depth -= 1 }
            guard depth <= ReportEncoding.maximumDepth else { return nil }
            switch byte() {
            case 0: return string().map(TOMLValue.string)
            case 1: return signed().map(TOMLValue.integer)
            case 2: return unsigned().map { .float(Double(bitPattern: $0)) }
            case 3:
                switch byte() {
                case 0: return .boolean(false)
                case 1: return .boolean(true)
                default: return nil
                }
            case 4: return dateTime().map(TOMLValue.dateTime)
            case 5:
                guard let location = requiredLocation(), let flag = byte(), flag <= 1, let count = count()
                else {
                    return nil
                }
                let array = TOMLArray(location: location, isArrayOfTables: flag == 1)
                for _ in 0..<count {
                    guard let elementLocation = requiredLocation(), let element = value() else { return nil }
                    array.append(element, at: elementLocation)
                }
                return .array(array)
            case 6:
                guard let location = requiredLocation(), let origin = byte().flatMap(TOMLTable.Origin.init),
                    let count = count()
                else { return nil }
                let table = TOMLTable(location: location, origin: origin)
                for _ in 0..<count {
                    guard let key = string(), let keyLocation = requiredLocation(),
                        let valueLocation = requiredLocation(), let element = value()
                    else { return nil }
                    table.append(
                        TOMLTable.Entry(
                            key: key, value: element, keyLocation: keyLocation, valueLocation: valueLocation))
                }
                return .table(table)
            default:
                return nil
            }
        }

        mutating func dateTime() -> TOMLDateTime? {
            guard let parts = byte(), parts & ~7 == 0 else { return nil }
            var date: TOMLDateTime.Date?
            var time: TOMLDateTime.Time?
            var offset: Int?
            if parts & 1 != 0 {
                guard let year = int(), let month = int(), let day = int() else { return nil }
                date = TOMLDateTime.Date(year: year, month: month, day: day)
            }
            if parts & 2 != 0 {
                guard let hour = int(), let minute = int(), let second = int(), let nanosecond = int() else {
                    return nil
                }
                time = TOMLDateTime.Time(hour: hour, minute: minute, second: second, nanosecond: nanosecond)
            }
            if parts & 4 != 0 {
                guard let minutes = int() else { return nil }
                offset = minutes
            }
            return TOMLDateTime(date: date, time: time, offsetMinutes: offset)
        }
    }
}
