/// The configuration a running kms-server reports on `GET /config` (on
/// `telemetry.metrics_bind_address`, port 9464 by default): computed once at start-up, so it is
/// what runs until the next restart, whatever the files say now.
///
/// kms-server serialises its config with `serde_json::to_string_pretty` and answers with
/// `Json(that string)`, so the body is a JSON *string* whose content is the JSON document; a
/// plain JSON object (a proxy, another version) is accepted too. `null` (an unset `Option`)
/// means "not set".
package enum LiveConfiguration {
    /// The virtual path of the live configuration in snapshots and reports.
    package static let virtualPath = "@live/config.json"

    /// Parses a `/config` body; `source` (the URL) names it in errors and origins.
    package static func parse(_ body: [UInt8], source: String) throws(EffectiveConfigError)
        -> EffectiveConfiguration
    {
        let origin = ValueOrigin.live(source: "GET " + source)
        var value = try JSONLayer.parse(body, source: source) { _ in origin }
        if case .scalar(.string(let inner), _) = value {
            value = try JSONLayer.parse(Array(inner.utf8), source: source + " (inner document)") { _ in origin
            }
        }
        guard case .table(let table) = value else {
            throw .live(url: source, reason: "the answer is not a JSON object (nor a string holding one)")
        }
        return EffectiveConfiguration(root: table, layers: [], environmentVariables: [], notes: [])
    }
}
