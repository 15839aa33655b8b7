/// TOML's rules on where keys may go: dotted keys, `[table]` and `[[array]]` headers, implicit
/// tables, and the ban on redefining a table or extending an inline table or a static array.
extension Parser {
    /// Parses `key = value` at `pos` and adds it to `table` (through dotted-key sub-tables).
    /// Returns the final key, for messages about what follows the value.
    @discardableResult
    mutating func parseKeyValue(into table: TOMLTable) throws(TOMLParseError) -> String {
        let keyLocation = here()
        let key = try parseSimpleKey()
        skipWhitespace()
        if pos < end && bytes[pos] == UInt8(ascii: "=") {
            // The common case, a key without dots: no key-part bookkeeping.
            return try parseValueAndAppend(to: table, key: key, keyLocation: keyLocation)
        }
        keyParts.removeAll(keepingCapacity: true)
        try parseDottedKeyRest(first: KeyPart(name: key, location: keyLocation))
        var target = table
        let partCount = keyParts.count
        // Dotted keys nest tables too: count them against the same limit as brackets, so no
        // input can build a tree deeper than `maxDepth` (whose release would recurse).
        let extraDepth = partCount - 1
        depth += extraDepth
        if depth > maxDepth { throw error(.nestingTooDeep(limit: maxDepth), location: keyParts[0].location) }
        for index in 0..<(partCount - 1) {
            target = try descendForDottedKey(from: target, partIndex: index)
        }
        let last = keyParts.removeLast()
        let leading = keyParts.map(\.name)
        let name: String
        do {
            name = try parseValueAndAppend(to: target, key: last.name, keyLocation: last.location)
        } catch var error {
            if let keys = error.valueKeyPath { error.valueKeyPath = leading + keys }
            throw error
        }
        depth -= extraDepth
        return name
    }

    /// After a key (the last part of a dotted one): checks it is new in `table`, parses
    /// `= value` and appends the entry.
    private mutating func parseValueAndAppend(
        to table: TOMLTable, key: String, keyLocation: SourceLocation
    ) throws(TOMLParseError) -> String {
        if let existing = table.position(ofKey: key) {
            let firstLine = table.entries[existing].keyLocation.line
            throw error(.duplicateKey(key: key, firstLine: firstLine), location: keyLocation)
        }
        guard pos < end, bytes[pos] == UInt8(ascii: "=") else {
            if pos < end && (bytes[pos] >= 0x80 || bytes[pos] < 0x20) {
                throw unexpected(at: pos, expected: "\"=\" after key \(quoted(key))")
            }
            throw error(.expectedEquals(key: key), at: pos)
        }
        pos += 1
        skipWhitespace()
        let valueLocation = here()
        let value: TOMLValue
        do {
            value = try parseValue(key: key)
        } catch var error {
            // Innermost first: an inline table's key, then the keys around it.
            error.valueKeyPath = [key] + (error.valueKeyPath ?? [])
            throw error
        }
        table.append(
            TOMLTable.Entry(key: key, value: value, keyLocation: keyLocation, valueLocation: valueLocation))
        return key
    }

    /// The sub-table for dotted-key part `partIndex` inside `table`, created if missing.
    private mutating func descendForDottedKey(
        from table: TOMLTable, partIndex: Int
    ) throws(TOMLParseError) -> TOMLTable {
        let part = keyParts[partIndex]
        guard let position = table.position(ofKey: part.name) else {
            let child = TOMLTable(location: part.location, origin: .dotted)
            unfinishedTables.append(child)
            table.append(
                TOMLTable.Entry(
                    key: part.name, value: .table(child), keyLocation: part.location,
                    valueLocation: part.location))
            return child
        }
        let value = table.entries[position].value
        let firstLine = table.entries[position].keyLocation.line
        guard case .table(let child) = value else {
            throw error(
                .notATable(
                    name: displayName(keyParts[0...partIndex]), typeName: value.typeName,
                    firstLine: firstLine),
                location: part.location)
        }
        switch child.origin {
        case .dotted:
            return child
        case .implicit:
            child.origin = .dotted
            return child
        case .inline:
            throw error(
                .inlineTableExtended(name: displayName(keyParts[0...partIndex]), firstLine: firstLine),
                location: part.location)
        case .header, .arrayItem, .root:
            throw error(
                .tableRedefinedByDottedKeys(name: displayName(keyParts[0...partIndex]), firstLine: firstLine),
                location: part.location)
        }
    }

    /// Parses a `[table]` or `[[array]]` header at `pos` and returns the table that following
    /// key/value pairs go into.
    mutating func parseHeader(root: TOMLTable) throws(TOMLParseError) -> TOMLTable {
        let headerLocation = here()
        let headerLine = line
        pos += 1
        let isArray = current == UInt8(ascii: "[") && pos < end
        if isArray { pos += 1 }
        skipWhitespace()
        try parseKey()
        currentHeader = keyParts.map(\.name)
        for _ in 0..<(isArray ? 2 : 1) {
            guard pos < end, bytes[pos] == UInt8(ascii: "]") else {
                throw unexpected(
                    at: pos, expected: isArray ? "\"]]\" to close the header" : "\"]\" to close the header")
            }
            pos += 1
        }
        var table = root
        let partCount = keyParts.count
        // The section's key/value pairs start this deep in the tree.
        depth = partCount + (isArray ? 1 : 0)
        if depth > maxDepth { throw error(.nestingTooDeep(limit: maxDepth), location: headerLocation) }
        for index in 0..<(partCount - 1) {
            table = try descendForHeader(from: table, partIndex: index, headerLocation: headerLocation)
        }
        let result =
            isArray
            ? try openArrayItem(in: table, headerLocation: headerLocation)
            : try openTable(in: table, headerLocation: headerLocation)
        skipWhitespace()
        try skipComment()
        if pos < end, try !skipNewline() {
            throw unexpected(at: pos, expected: "the end of the line after the header on line \(headerLine)")
        }
        return result
    }

    private mutating func descendForHeader(
        from table: TOMLTable, partIndex: Int, headerLocation: SourceLocation
    ) throws(TOMLParseError) -> TOMLTable {
        let part = keyParts[partIndex]
        guard let position = table.position(ofKey: part.name) else {
            let child = TOMLTable(location: headerLocation, origin: .implicit)
            unfinishedTables.append(child)
            unfinishedTables.append(table)
            table.append(
                TOMLTable.Entry(
                    key: part.name, value: .table(child), keyLocation: headerLocation,
                    valueLocation: headerLocation))
            return child
        }
        let value = table.entries[position].value
        let firstLine = table.entries[position].keyLocation.line
        switch value {
        case .table(let child):
            if child.origin == .inline {
                throw error(
                    .inlineTableExtended(name: displayName(keyParts[0...partIndex]), firstLine: firstLine),
                    location: part.location)
            }
            return child
        case .array(let array):
            guard array.isArrayOfTables, case .table(let last)? = array.elements.last else {
                throw error(
                    .staticArrayExtended(name: displayName(keyParts[0...partIndex]), firstLine: firstLine),
                    location: part.location)
            }
            return last
        default:
            throw error(
                .notATable(
                    name: displayName(keyParts[0...partIndex]), typeName: value.typeName,
                    firstLine: firstLine),
                location: part.location)
        }
    }

    private mutating func openTable(
        in parent: TOMLTable, headerLocation: SourceLocation
    ) throws(TOMLParseError) -> TOMLTable {
        let part = keyParts[keyParts.count - 1]
        guard let position = parent.position(ofKey: part.name) else {
            let table = TOMLTable(location: headerLocation, origin: .header)
            unfinishedTables.append(parent)
            parent.append(
                TOMLTable.Entry(
                    key: part.name, value: .table(table), keyLocation: headerLocation,
                    valueLocation: headerLocation))
            return table
        }
        let value = parent.entries[position].value
        let firstLine = parent.entries[position].keyLocation.line
        guard case .table(let table) = value else {
            throw error(
                .notATable(
                    name: displayName(keyParts[...]), typeName: value.typeName, firstLine: firstLine),
                location: part.location)
        }
        switch table.origin {
        case .implicit:
            table.origin = .header
            table.location = headerLocation
            parent.entries[position] = TOMLTable.Entry(
                key: part.name, value: value, keyLocation: headerLocation, valueLocation: headerLocation
            )
            return table
        case .dotted:
            throw error(
                .tableRedefinedByDottedKeys(name: displayName(keyParts[...]), firstLine: firstLine),
                location: headerLocation)
        case .inline:
            throw error(
                .inlineTableExtended(name: displayName(keyParts[...]), firstLine: firstLine),
                location: headerLocation)
        case .header, .arrayItem, .root:
            throw error(
                .tableDefinedTwice(name: displayName(keyParts[...]), firstLine: table.location.line),
                location: headerLocation)
        }
    }

    private mutating func openArrayItem(
        in parent: TOMLTable, headerLocation: SourceLocation
    ) throws(TOMLParseError) -> TOMLTable {
        let part = keyParts[keyParts.count - 1]
        let item = TOMLTable(location: headerLocation, origin: .arrayItem)
        guard let position = parent.position(ofKey: part.name) else {
            let array = TOMLArray(location: headerLocation, isArrayOfTables: true)
            // Arrays of tables usually get several items; skip the first doublings (trimmed at the end).
            array.elements.reserveCapacity(8)
            array.locations.reserveCapacity(8)
            unfinishedArrays.append(array)
            unfinishedTables.append(parent)
            array.append(.table(item), at: headerLocation)
            parent.append(
                TOMLTable.Entry(
                    key: part.name, value: .array(array), keyLocation: headerLocation,
                    valueLocation: headerLocation))
            return item
        }
        let value = parent.entries[position].value
        let firstLine = parent.entries[position].keyLocation.line
        switch value {
        case .array(let array):
            guard array.isArrayOfTables else {
                throw error(
                    .staticArrayExtended(name: displayName(keyParts[...]), firstLine: firstLine),
                    location: headerLocation)
            }
            // Items of one array of tables usually have the same keys: size the new one like the last.
            if case .table(let previous)? = array.elements.last, previous.count > 0 {
                item.entries.reserveCapacity(previous.count)
            }
            array.append(.table(item), at: headerLocation)
            return item
        case .table:
            throw error(
                .tableDefinedTwice(name: displayName(keyParts[...]), firstLine: firstLine),
                location: headerLocation)
        default:
            throw error(
                .notATable(
                    name: displayName(keyParts[...]), typeName: value.typeName, firstLine: firstLine),
                location: headerLocation)
        }
    }
}
