import DriftConfig

extension DaemonLoop {
    /// The SIGHUP rule: the configuration file is read again with the same `--dir` / `--db`
    /// overrides, and a new watched directory that may not be watched is refused like a bad file,
    /// so the loop logs it and keeps the old configuration. `nil` without a file (flags only).
    package static func reload(
        file: String?, overrideDirectory: String?, overrideDatabase: String?
    ) -> Reload? {
        guard let file else { return nil }
        return { () throws(DriftConfigurationError) in
            let configuration = try DriftConfiguration.load(
                from: file, overrideDirectory: overrideDirectory, overrideDatabase: overrideDatabase)
            do {
                try configuration.checkPaths()
            } catch {
                throw DriftConfigurationError(
                    file: file, reason: .invalidValue(key: "watch.directory", reason: "\(error)"))
            }
            return configuration
        }
    }
}
