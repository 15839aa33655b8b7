import TOML

/// Decides which values are secrets and how they are shown: as a short fingerprint
/// (`sha256:1a2b3c4d5e6f`) so that a change stays visible while the value does not.
///
/// A value is secret when its key names a secret (`password`, `secret`, `token`,
/// `credentials`, a key ending in `key` such as `private_key`), when it holds an inline PEM
/// block, or — for the password part only — when it is a URL with credentials in it.
/// Keys that only *refer* to secret material (`key.path`, `tls_key_path`, `root_key_id`)
/// are not secret: a path or an identifier is what an operator needs to see.
public struct SecretPolicy: Sendable {
    /// When true nothing is redacted (`--show-secrets`, for a person at a terminal).
    public let showSecrets: Bool

    public init(showSecrets: Bool = false) {
        self.showSecrets = showSecrets
    }

    private static let secretWords: Set<String> = [
        "secret", "secrets", "password", "passwd", "pwd", "passphrase", "token", "tokens",
        "credential", "credentials", "apikey", "privkey", "pem",
    ]
    private static let referenceSuffixes: Set<String> = [
        "path", "file", "dir", "id", "spec", "arn", "endpoint", "url", "name", "size", "ttl", "port",
    ]

    /// True when values under `path` must not be shown because of the key's name.
    public func isSecretKey(_ path: KeyPath) -> Bool {
        guard let last = path.lastKey else { return false }
        let lastWords = Self.words(of: last)
        if let final = lastWords.last, Self.referenceSuffixes.contains(final) { return false }
        for key in path.keyNames {
            let words = Self.words(of: key)
            if words.contains(where: Self.secretWords.contains) { return true }
            if words.last == "key" && words.count > 1 { return true }  // private_key, api_key
        }
        return last == "key"
    }

    /// The fingerprint shown in place of a secret: `sha256:` and the first 12 hex digits.
    public static func fingerprint(of text: String) -> String {
        "sha256:" + SHA256Hex.of(text, digits: 12)
    }

    /// A scalar as it may be shown: itself, its fingerprint, or a URL with a fingerprinted password.
    /// Returns `nil` when the value needs no redaction.
    public func redactedText(of value: TOMLValue, at path: KeyPath) -> String? {
        guard !showSecrets else { return nil }
        let canonical: String
        switch value {
        case .string(let text): canonical = text
        case .integer(let number): canonical = String(number)
        case .float(let number): canonical = String(number)
        case .boolean(let flag): canonical = String(flag)
        case .dateTime(let moment): canonical = moment.description
        case .array, .table: return nil
        }
        if isSecretKey(path) { return Self.fingerprint(of: canonical) }
        guard case .string(let text) = value else { return nil }
        if Self.containsPEMBlock(text) { return Self.fingerprint(of: text) }
        return Self.redactingURLPassword(text)
    }

    static func containsPEMBlock(_ text: String) -> Bool {
        text.contains("-----BEGIN ")
    }

    /// `https://user:pa55@host/x` becomes `https://user:sha256:…@host/x`; `nil` if there is no password.
    static func redactingURLPassword(_ text: String) -> String? {
        guard let schemeEnd = text.firstRange(of: "://") else { return nil }
        let afterScheme = text[schemeEnd.upperBound...]
        let authorityEnd =
            afterScheme.firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? afterScheme.endIndex
        let authority = afterScheme[..<authorityEnd]
        guard let at = authority.lastIndex(of: "@") else { return nil }
        let userInfo = authority[..<at]
        guard let colon = userInfo.firstIndex(of: ":") else { return nil }
        let password = String(userInfo[userInfo.index(after: colon)...])
        guard !password.isEmpty else { return nil }
        return String(text[..<userInfo.index(after: colon)]) + fingerprint(of: password) + String(text[at...])
    }

    /// Splits `tlsKeyPath`, `tls_key_path` and `tls-key.path` into lowercase words.
    static func words(of key: String) -> [String] {
        var words: [String] = []
        var current = ""
        var previousWasLower = false
        for character in key {
            if character == "_" || character == "-" || character == "." || character == " " {
                if !current.isEmpty { words.append(current) }
                current = ""
                previousWasLower = false
                continue
            }
            if character.isUppercase && previousWasLower {
                words.append(current)
                current = ""
            }
            current += character.lowercased()
            previousWasLower = character.isLowercase || character.isNumber
        }
        if !current.isEmpty { words.append(current) }
        return words
    }
}
