/// How a file name travels through kms-drift when it is not valid UTF-8.
///
/// A Linux file name is bytes, not text: `bad\xff.toml` is a legal name that a `String` cannot
/// hold. kms-drift carries every relative path as a *key*, a `String` that maps one-to-one to
/// the name's bytes, so such a file is recorded, compared and restored byte-identical:
///
/// - a component that is valid UTF-8 and holds no backslash is its own key (nearly every name);
/// - any other component is escaped: each byte of an invalid UTF-8 sequence (and a NUL, which only
///   a damaged database can hold) becomes `\xHH` and a backslash becomes `\\`; valid characters
///   stay as they are.
///
/// An escaped component always contains a backslash and a plain one never does, so two different
/// names never share a key. The key is also what people see (`bad\xff.toml`); control characters
/// are escaped on top of it by ``TerminalText`` when it is printed.
package enum PathName {
    /// The key of a path given as bytes (components separated by `/`).
    package static func key(_ bytes: some Collection<UInt8>) -> String {
        // Nearly every name is plain ASCII without a backslash or a NUL: that is its own key, and
        // the walk of ten thousand files should not pay for more than this scan.
        if let plain = bytes.withContiguousStorageIfAvailable({ buffer -> String? in
            for byte in buffer where byte >= 0x80 || byte == UInt8(ascii: "\\") || byte == 0 { return nil }
            return String(decoding: buffer, as: UTF8.self)
        }), let plain {
            return plain
        }
        let array = Array(bytes)
        var result = ""
        var start = 0
        while start <= array.count {
            let end = array[start...].firstIndex(of: UInt8(ascii: "/")) ?? array.count
            if start > 0 { result += "/" }
            result += componentKey(array[start..<end])
            start = end + 1
        }
        return result
    }

    /// The bytes a key stands for: what system calls must be given.
    package static func bytes(_ key: String) -> [UInt8] {
        guard key.utf8.contains(UInt8(ascii: "\\")) else { return Array(key.utf8) }
        var result: [UInt8] = []
        var first = true
        for component in key.utf8.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false) {
            if !first { result.append(UInt8(ascii: "/")) }
            first = false
            result += componentBytes(Array(component))
        }
        return result
    }

    /// The key for a path an operator typed (`--path`): a key as kms-drift prints it
    /// (`bad\xff.toml`), or else the name as typed.
    package static func key(parsingUserInput text: String) -> String {
        let asKey = key(bytes(text))
        return asKey == text ? text : key(Array(text.utf8))
    }

    /// True when the key stands for a name that is valid UTF-8 (it is then the name itself,
    /// possibly with backslashes escaped).
    package static func isUTF8(_ key: String) -> Bool {
        String(validating: bytes(key), as: UTF8.self) != nil
    }

    private static func componentKey(_ component: ArraySlice<UInt8>) -> String {
        if !component.contains(UInt8(ascii: "\\")), !component.contains(0),
            let text = String(validating: component, as: UTF8.self)
        {
            return text
        }
        var result = ""
        var iterator = component.makeIterator()
        var parser = Unicode.UTF8.ForwardParser()
        var position = component.startIndex
        while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid(let encoded):
                let scalar = Unicode.UTF8.decode(encoded)
                // NUL is no name's byte, but a damaged database can hold one: never let it cut a C string.
                if scalar == "\\" {
                    result += "\\\\"
                } else if scalar == "\0" {
                    result += "\\x00"
                } else {
                    result.unicodeScalars.append(scalar)
                }
                position += encoded.count
            case .error(let length):
                for byte in component[position..<(position + length)] { result += hexEscape(byte) }
                position += length
            case .emptyInput:
                return result
            }
        }
    }

    private static func componentBytes(_ component: [UInt8]) -> [UInt8] {
        guard component.contains(UInt8(ascii: "\\")) else { return component }
        var result: [UInt8] = []
        var index = 0
        while index < component.count {
            let byte = component[index]
            if byte == UInt8(ascii: "\\"), index + 1 < component.count {
                let next = component[index + 1]
                if next == UInt8(ascii: "\\") {
                    result.append(byte)
                    index += 2
                    continue
                }
                if next == UInt8(ascii: "x"), index + 3 < component.count,
                    let high = hexDigit(component[index + 2]), let low = hexDigit(component[index + 3])
                {
                    result.append(high << 4 | low)
                    index += 4
                    continue
                }
            }
            result.append(byte)
            index += 1
        }
        return result
    }

    package static func hexEscape(_ byte: UInt8) -> String {
        let digits = Array("0123456789abcdef")
        return "\\x" + String(digits[Int(byte >> 4)]) + String(digits[Int(byte & 0xf)])
    }

    private static func hexDigit(_ character: UInt8) -> UInt8? {
        switch character {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return character - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return character - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return character - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}
