import TOML

/// `text` parsed as TOML (1.1, the parser's default), positions naming `file`.
public func parseTOML(_ text: String, file: String = "test.toml") throws(TOMLParseError) -> TOMLTable {
    try TOMLParser().parse(Array(text.utf8), fileName: file)
}
