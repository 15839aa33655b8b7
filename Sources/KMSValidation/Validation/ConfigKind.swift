import TOML

/// Which program a TOML file configures. kms-server, kms-core-client, kms-gen-keys and
/// kms-health-check share the same loader and often the same directory; validating a
/// client config against the server schema would only produce a storm of unknown keys.
package enum ConfigKind: String, Sendable {
    case kmsServer = "kms-server"
    case coreClient = "kms-core-client"
    case genKeys = "kms-gen-keys"
    case healthCheck = "kms-health-check"

    /// Recognises a file by its top-level keys. A file with `[service]` is always a server
    /// config; otherwise the other tools' marker keys decide, and a file with none of them is
    /// treated as a (broken) server config so that its problems are reported.
    package static func recognise(_ root: TOMLTable) -> ConfigKind {
        if root["service"] != nil { return .kmsServer }
        if root["keygen"] != nil { return .genKeys }
        let clientMarkers = [
            "kms_type", "cores", "num_majority", "num_reconstruct", "fhe_params", "object_folder",
        ]
        if clientMarkers.contains(where: { root[$0] != nil }) { return .coreClient }
        let healthMarkers = ["connection_timeout_secs", "request_timeout_secs"]
        if !root.isEmpty, root.keys.allSatisfy(healthMarkers.contains) { return .healthCheck }
        return .kmsServer
    }
}
