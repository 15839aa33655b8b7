import TOML

/// Decides which values are secrets and how they are shown: as a short keyed fingerprint
/// (`hmac:1a2b3c4d5e6f`, see ``FingerprintKey``) so that a change stays visible while the value
/// does not, and cannot be guessed from it.
///
/// A value is secret when its key names a secret, when it holds an inline PEM block or an AWS
/// access key id, or — for the password part only — when it is a URL with credentials in it; the
/// names are one table, ``SecretNames``. Keys that only *refer* to secret material (`key.path`,
/// `tls_key_path`, `root_key_id`) are not secret: a path or an identifier is what an operator
/// needs to see.
package struct SecretPolicy: Sendable {
    /// When true nothing is redacted (`--show-secrets`, for a person at a terminal).
    package let showSecrets: Bool
    /// The key fingerprints are computed with: the store's, a file's, or this run's.
    package let key: FingerprintKey

    package init(showSecrets: Bool = false, key: FingerprintKey = .perRun) {
        self.showSecrets = showSecrets
        self.key = key
    }

    /// True when values under `path` must not be shown because of the key's name.
    package func isSecretKey(_ path: KeyPath) -> Bool {
        guard let last = path.lastKey else { return false }
        let lastWords = Self.words(of: last)
        if let final = lastWords.last, SecretNames.referenceSuffixes.contains(final) { return false }
        for key in path.keyNames {
            let words = Self.words(of: key)
            if words.contains(where: SecretNames.words.contains) { return true }
            // private_key, api_keys
            if let final = words.last, SecretNames.keyWords.contains(final), words.count > 1 { return true }
        }
        return last == "key"
    }

    /// The fingerprint shown in place of a secret: `hmac:` and 12 hex digits of its keyed hash.
    package func fingerprint(of text: String) -> String {
        key.fingerprint(of: text)
    }

    /// A TOML error as it may be shown: when the value being read sits under a secret key, or the
    /// message holds text that looks like a secret, the value's text is left out. Applies even with
    /// `--show-secrets`: errors go to logs, event logs and hooks.
    package func shown(_ error: TOMLParseError) -> TOMLParseError {
        if let keys = error.valueKeyPath, isSecretKey(KeyPath(keys.map(KeyPath.Segment.key))) {
            return error.hidingValue()
        }
        if SecretNames.isSecretValue(error.message) { return error.hidingValue() }
        return error
    }

    /// A scalar as it may be shown: itself, its fingerprint, or a URL with a fingerprinted password.
    /// Returns `nil` when the value needs no redaction.
    package func redactedText(of value: TOMLValue, at path: KeyPath) -> String? {
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
        if isSecretKey(path) { return fingerprint(of: canonical) }
        guard case .string(let text) = value else { return nil }
        if SecretNames.isSecretValue(text) { return fingerprint(of: text) }
        return redactingURLPassword(text)
    }

    static func containsPEMBlock(_ text: String) -> Bool {
        text.contains("-----BEGIN ")
    }

    /// `https://user:pa55@host/x` becomes `https://user:hmac:…@host/x`; `nil` if there is no password.
    func redactingURLPassword(_ text: String) -> String? {
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
