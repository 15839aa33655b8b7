import DriftCore
import EffectiveConfig
import FileSystem
import KMSValidation

/// `consistency FILE…`: the parties' configs compared with each other: what must be equal on all
/// of them, and each party's identity.
package struct PartyConsistency: Sendable {
    package let files: [String]
    /// What kms-server runs, applied to every file; `nil` compares the files as they are.
    package var effective: EffectiveSources? = nil
    package var maximumFileSize: Int64 = InputFile.defaultMaximumSize

    package init(files: [String]) { self.files = files }

    package struct Result: Sendable {
        package let report: ConsistencyReport
        /// 0 consistent, 1 disagreements or identity errors.
        package var exitStatus: ExitStatus { .findings(if: !report.isConsistent) }
    }

    package func run(note: (String) -> Void) throws -> Result {
        var configs: [ConfigFile] = []
        for file in files {
            guard var sources = effective else {
                configs.append(try ConfigFile.load(file, maximumSize: maximumFileSize))
                continue
            }
            sources.configFile = file
            configs.append(try EffectiveLoading.build(sources, note: note).configFile(named: file))
        }
        return Result(report: ConsistencyCheck().check(configs))
    }
}
