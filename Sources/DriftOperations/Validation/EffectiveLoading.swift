import DriftCore
import EffectiveConfig

/// What kms-server runs, built for a command from the sources it was given, its notes (a layer it
/// read, a variable it applied) handed to `note` as soon as it is built.
package enum EffectiveLoading {
    package static func build(_ sources: EffectiveSources, note: (String) -> Void) throws
        -> EffectiveConfiguration
    {
        let configuration = try sources.builder().build()
        for text in configuration.notes { note(text) }
        return configuration
    }

    /// One party's configuration: `file` as it is when `effective` is `nil` (nothing but the file
    /// asked for), otherwise what kms-server runs from `effective`.
    package static func partyConfiguration(
        _ file: String?, effective: EffectiveSources?, maximumSize: Int64, note: (String) -> Void
    ) throws -> ConfigFile {
        guard let effective else {
            guard let file else {
                throw OperationError("give a kms-server config file, --config-file FILE or --pid PID")
            }
            return try ConfigFile.load(file, maximumSize: maximumSize)
        }
        return try build(effective, note: note).configFile()
    }
}
