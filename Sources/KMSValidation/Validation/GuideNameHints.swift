/// What to write instead of the names the operators' guide documents but kms-server does not
/// accept (schema reference §4). Looked up when a key is unknown or has the wrong type, so the
/// finding speaks the operator's terms: "`tls_cert_path` … core-to-core TLS is …".
package enum GuideNameHints {
    /// A documented-but-wrong spelling: the table it appears in (a `*_vault` segment matches
    /// any vault), the key, and what to do instead.
    struct Hint {
        let table: [String]
        let key: String
        let fix: String
    }

    static let unknownKeyHints: [Hint] = [
        Hint(
            table: ["service"], key: "tls_cert_path",
            fix: "remove it: the service endpoint has no TLS (keep it private); core-to-core TLS is "
                + "`cert.path` in [threshold.tls.manual]"),
        Hint(
            table: ["service"], key: "tls_key_path",
            fix: "remove it: the service endpoint has no TLS (keep it private); core-to-core TLS is "
                + "`key.path` in [threshold.tls.manual]"),
        Hint(table: ["service"], key: "max_request_size", fix: "rename it to `grpc_max_message_size`"),
        Hint(table: ["service"], key: "request_timeout_secs", fix: "rename it to `timeout_secs`"),
        Hint(
            table: ["*_vault", "storage"], key: "File",
            fix:
                "storage variants are lowercase tables: write [<vault>.storage.file] with `path` (and `prefix`)"
        ),
        Hint(
            table: ["*_vault", "storage"], key: "S3",
            fix:
                "storage variants are lowercase tables: write [<vault>.storage.s3] with `bucket` (and `prefix`), "
                + "and put the region in [aws] `region`"),
        Hint(
            table: ["*_vault", "storage"], key: "Ram",
            fix: "storage variants are lowercase: write [<vault>.storage.ram]"),
        Hint(
            table: ["*_vault", "storage", "*"], key: "region",
            fix: "remove it here and set `region` in the [aws] section, which every S3 vault uses"),
        Hint(
            table: ["*_vault", "storage", "*"], key: "encryption",
            fix: "remove it: encryption at rest is configured with [<vault>.keychain.aws_kms] "
                + "(`root_key_id`, `root_key_spec`)"),
        Hint(
            table: ["*_vault", "storage", "*"], key: "kms_key_id",
            fix: "remove it: use `root_key_id` in [<vault>.keychain.aws_kms]"),
        Hint(
            table: ["telemetry", "batch"], key: "max_export_timeout_millis",
            fix:
                "remove it: kms-server ignores it; the batch keys are `max_queue_size`, `max_export_batch_size` "
                + "and `scheduled_delay_ms`"),
        Hint(
            table: ["*_vault"], key: "storage_cache_size",
            fix: "remove it: the storage cache was removed from kms-server (0.15)"),
        Hint(table: ["rate_limiter_conf"], key: "reshare", fix: "rename it to `new_epoch`"),
    ]

    /// Tables of the schema written as a plain string in the guide (`tls_cert = "/a.crt"`).
    static let tlsMaterialKeys: Set<String> = ["tls_cert", "cert", "key", "eif_signing_cert"]

    /// The guide's replacement for an unknown `key` in the table at `table`, if it documents one.
    package static func fix(forUnknownKey key: String, in table: [String], vault: String? = nil) -> String? {
        guard let hint = unknownKeyHints.first(where: { $0.key == key && matches($0.table, table) }) else {
            return nil
        }
        let vaultName = table.first { $0.hasSuffix("_vault") } ?? "private_vault"
        return hint.fix.replacing("<vault>", with: vaultName)
    }

    /// The fix for a string written where kms-server wants a `{ path | pem }` table.
    package static func fix(forStringAt key: String, value: String) -> String? {
        guard tlsMaterialKeys.contains(key) else { return nil }
        let form = value.contains("-----BEGIN ") ? "pem" : "path"
        return "it is a table: write `\(key).\(form) = \"…\"` instead of `\(key) = \"…\"`"
    }

    static func matches(_ pattern: [String], _ table: [String]) -> Bool {
        guard pattern.count == table.count else { return false }
        for (want, have) in zip(pattern, table) {
            if want == "*" { continue }
            if want.hasPrefix("*") {
                if !have.hasSuffix(want.dropFirst()) { return false }
            } else if want != have {
                return false
            }
        }
        return true
    }
}
