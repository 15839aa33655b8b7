/// The one table of what kms-drift treats as a secret (documented in the README, "What is
/// redacted"). A key is split into lower-case words (`tlsKeyPath`, `tls_key_path`, `tls-key.path`
/// all give `tls key path`) and judged on them.
package enum SecretNames {
    /// A key holding one of these words anywhere, singular or plural, is secret: `db_password`,
    /// `passwords`, `aws_secret`, `auth_token`, `private_creds`, `wallet_mnemonic`, `bearer`.
    package static let words: Set<String> = [
        "secret", "secrets", "password", "passwords", "passwd", "pwd", "pass", "passphrase", "passphrases",
        "token", "tokens", "credential", "credentials", "cred", "creds", "apikey", "apikeys", "privkey",
        "privkeys", "pem", "mnemonic", "mnemonics", "seed", "seeds", "bearer", "jwt", "jwts", "cookie",
        "cookies",
    ]

    /// A key whose last word is one of these, after at least one other word, is secret:
    /// `private_key`, `api_key`, `private_keys`, `signing-keys`; and a key named just `key`.
    package static let keyWords: Set<String> = ["key", "keys"]

    /// A key whose last word is one of these only *refers* to secret material and is shown:
    /// `key.path`, `tls_key_path`, `root_key_id`, `password_file`, `secret_arn`.
    package static let referenceSuffixes: Set<String> = [
        "path", "file", "dir", "id", "spec", "arn", "endpoint", "url", "name", "size", "ttl", "port",
    ]

    /// True when a value is secret whatever its key: an inline PEM block, or an AWS access key id
    /// (`AKIA`/`ASIA` and 16 upper-case letters or digits).
    package static func isSecretValue(_ text: String) -> Bool {
        text.contains("-----BEGIN ") || containsAWSAccessKeyID(text)
    }

    /// `AKIA…`/`ASIA…` followed by 16 of `A-Z2-7` (the base-32 alphabet AWS uses), not inside a
    /// longer word.
    static func containsAWSAccessKeyID(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard bytes.count >= 20 else { return false }
        func isIDCharacter(_ byte: UInt8) -> Bool {
            (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
                || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
        }
        for start in 0...(bytes.count - 20) {
            guard bytes[start] == UInt8(ascii: "A") || bytes[start] == UInt8(ascii: "S") else { continue }
            let prefix = bytes[start..<(start + 4)]
            guard prefix.elementsEqual("AKIA".utf8) || prefix.elementsEqual("ASIA".utf8) else { continue }
            if start > 0 && isIDCharacter(bytes[start - 1]) { continue }
            let body = bytes[(start + 4)..<(start + 20)]
            guard body.allSatisfy(isIDCharacter) else { continue }
            if start + 20 < bytes.count && isIDCharacter(bytes[start + 20]) { continue }
            return true
        }
        return false
    }
}
