import DriftCore

/// The effective configuration as JSON (redacted like every output); with origins, an object
/// `{"configuration": {…}, "origins": {"key.path": "file:line" | "env NAME"}}`.
package enum EffectiveJSON {
    package static func render(
        _ configuration: EffectiveConfiguration, showOrigin: Bool, secrets: SecretPolicy
    )
        throws(EffectiveConfigError) -> String
    {
        let file = try configuration.configFile()
        let formatter = ValueFormatter(secrets: secrets)
        var writer = JSONWriter()
        if showOrigin {
            writer.beginObject()
            writer.key("configuration")
        }
        formatter.json(.table(file.root), at: .root, into: &writer)
        if showOrigin {
            writer.key("origins")
            writer.beginObject()
            for leaf in configuration.leaves {
                writer.key(leaf.path.description)
                writer.string(leaf.origin.description)
            }
            writer.endObject()
            writer.endObject()
        }
        return writer.output + "\n"
    }
}
