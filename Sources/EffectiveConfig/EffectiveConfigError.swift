/// What stops kms-drift from building or fetching an effective configuration, in words an
/// operator can act on: what, where, and what to do.
package enum EffectiveConfigError: Error, CustomStringConvertible, Sendable {
    /// A file could not be read; `reason` is the errno meaning.
    case unreadable(path: String, reason: String)
    /// A TOML layer does not parse; `message` is `file:line:column: reason`.
    case invalidTOML(message: String)
    /// A JSON layer or body does not parse.
    case invalidJSON(source: String, line: Int, column: Int, reason: String)
    /// The required `--config-file` layer is missing (kms-server refuses to start).
    case missingConfigFile(path: String, tried: [String])
    /// A layer slot holds a file kms-server would read but whose format it does not support.
    case unsupportedFormat(path: String)
    /// A `KMS_CORE__…` value that kms-server would refuse to deserialize.
    case environmentValue(name: String, keyPath: String, value: String, expected: String)
    /// A `KMS_CORE__…` variable whose name cannot be mapped to a key.
    case environmentName(name: String, reason: String)
    /// A line of an env file that is not `KEY=VALUE`.
    case envFileSyntax(path: String, line: Int, reason: String)
    /// A template refers to a variable no environment source sets.
    case unsetVariable(name: String, file: String, line: Int)
    /// `/proc/PID/…` could not be read.
    case process(pid: Int32, path: String, reason: String, fix: String)
    /// The live endpoint could not be fetched or its answer not understood.
    case live(url: String, reason: String)
    /// The URL is not one kms-drift fetches without `--allow-remote`.
    case remoteURL(url: String, reason: String)
    /// Writing the rendered file failed.
    case write(path: String, reason: String)

    package var description: String {
        switch self {
        case .unreadable(let path, let reason):
            return "cannot read \(path): \(reason)"
        case .invalidTOML(let message):
            return message
        case .invalidJSON(let source, let line, let column, let reason):
            return "\(source):\(line):\(column): \(reason)"
        case .missingConfigFile(let path, let tried):
            return
                "the config file \(path) does not exist (tried \(tried.joined(separator: ", "))); "
                + "kms-server refuses to start without it: give the path kms-server is started with"
        case .unsupportedFormat(let path):
            return
                "\(path) is not of a format kms-server reads (toml, json, yaml, ini, ron, json5); "
                + "kms-server refuses to start: rename or remove it"
        case .environmentValue(let name, let keyPath, let value, let expected):
            return
                "environment variable \(name)=\(value) sets \(keyPath), which must be \(expected); "
                + "kms-server refuses to start: fix or unset \(name)"
        case .environmentName(let name, let reason):
            return "environment variable \(name): \(reason)"
        case .envFileSyntax(let path, let line, let reason):
            return "\(path):\(line): \(reason)"
        case .unsetVariable(let name, let file, let line):
            return
                "\(file):\(line): variable \(name) is not set; envsubst would write an empty string: "
                + "set \(name) in an --env-file or the environment"
        case .process(let pid, let path, let reason, let fix):
            return "cannot read \(path) of process \(pid): \(reason); \(fix)"
        case .live(let url, let reason):
            return "cannot read the running configuration from \(url): \(reason)"
        case .remoteURL(let url, let reason):
            return "refusing to fetch \(url): \(reason); pass --allow-remote to fetch it anyway"
        case .write(let path, let reason):
            return "cannot write \(path): \(reason)"
        }
    }
}
