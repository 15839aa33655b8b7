import DriftConfig
import DriftCore
import KMSValidation
import SigningKeys
import SnapshotStore
import TOML

extension DriftConfiguration {
    /// How a snapshot of the watched directory is taken under this configuration.
    /// `[store] keep` and its tiers as the store's rotation applies them.
    package var retentionPolicy: RetentionPolicy {
        RetentionPolicy(
            keep: retention.keep, hourly: retention.hourly, daily: retention.daily, weekly: retention.weekly,
            monthly: retention.monthly)
    }

    package var snapshotOptions: SnapshotOptions {
        var options = SnapshotOptions(maximumStoredFileSize: maximumStoredFileSize)
        options.retention = retentionPolicy
        options.onlyWhenChanged = true  // a snapshot is a distinct state
        return options
    }

    /// How a snapshot is taken under this configuration, with its metadata: who takes it
    /// (`origin`), the operator's note, the network fingerprint of `[validate] kms_config`, and
    /// the signing key of `[store] signing_key`, read now so a key that cannot be read fails the
    /// snapshot instead of leaving a link unsigned.
    package func snapshotOptions(origin: SnapshotOrigin, note: String? = nil) throws(ChainKeyError)
        -> SnapshotOptions
    {
        var options = snapshotOptions
        options.metadata = .current(origin: origin, note: note)
        options.signingKey = try signingKeyPath.map { path throws(ChainKeyError) in
            try ChainSigningKey.load(path: path)
        }
        if let validatedConfig {
            let version = tomlVersion
            options.networkFingerprint = NetworkFingerprintSource(relativePath: validatedConfig) { bytes in
                guard let root = try? TOMLParser(version: version).parse(bytes, fileName: validatedConfig)
                else {
                    return nil
                }
                return NetworkFingerprint.fingerprint(of: root)
            }
        }
        return options
    }
}
