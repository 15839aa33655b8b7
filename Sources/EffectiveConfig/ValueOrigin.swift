/// Where one value of an effective configuration came from, as `git config --show-origin`
/// shows it: a file and line, or the environment variable that set it.
package enum ValueOrigin: Sendable, Hashable, CustomStringConvertible {
    /// A layer file; `line` is where the key (or the array's first element) was written.
    case file(path: String, line: Int)
    /// A `KMS_CORE__…` variable of the environment.
    case environment(name: String)
    /// The running process's own report (`GET /config`), which has no finer origin.
    case live(source: String)

    package var description: String {
        switch self {
        case .file(let path, let line): return "\(path):\(line)"
        case .environment(let name): return "env \(name)"
        case .live(let source): return source
        }
    }

    /// The phrase a drift report uses: "set by env `X`", "by /etc/config/kms_core.toml:3".
    package var phrase: String {
        switch self {
        case .file: return "by \(description)"
        case .environment(let name): return "set by env `\(name)`"
        case .live(let source): return "reported by \(source)"
        }
    }
}
