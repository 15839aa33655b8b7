import DriftCore
import FileSystem

/// What kms-server's loader reads from its process, taken from `/proc/PID`: the environment
/// (`environ`), the working directory its relative layer paths resolve against (`cwd`), and
/// the `--config-file` of its command line (`cmdline`).
package struct ProcessInspection: Sendable {
    package let pid: Int32
    package let environment: EnvironmentVariables
    package let workingDirectory: String
    /// The `--config-file` argument, or nil when the process uses kms-server's default.
    package let configFile: String?
    package let arguments: [String]

    /// Reads `/proc/PID`; `procRoot` is `/proc` except in tests.
    package static func inspect(pid: Int32, procRoot: String = "/proc") throws(EffectiveConfigError)
        -> ProcessInspection
    {
        let directory = "\(procRoot)/\(pid)"
        guard FileContents.exists(directory) else {
            throw .process(
                pid: pid, path: directory, reason: "no such process",
                fix: "check the pid (pidof kms-server, or the unit's MainPID)")
        }
        let environ = try readProcFile(directory + "/environ", pid: pid)
        let cmdline = try readProcFile(directory + "/cmdline", pid: pid)
        let cwd = try readLink(directory + "/cwd", pid: pid)
        let arguments = split(cmdline).map { String(decoding: $0, as: UTF8.self) }
        return ProcessInspection(
            pid: pid, environment: EnvironmentVariables.parsing(entries: split(environ)),
            workingDirectory: cwd, configFile: configFile(in: arguments), arguments: arguments)
    }

    /// The lowest pid whose `comm` is `name` (the kernel truncates names to 15 bytes), or nil
    /// when no such process runs (or `procRoot` cannot be listed).
    package static func pid(named name: String, procRoot: String = "/proc") -> Int32? {
        guard let entries = try? DirectoryListing.names(in: procRoot) else { return nil }
        let wanted = String(name.utf8.prefix(15)) ?? name
        return entries.compactMap { entry -> Int32? in
            guard let pid = Int32(entry),
                let comm = try? FileContents.readKernelFile("\(procRoot)/\(pid)/comm"),
                String(decoding: comm, as: UTF8.self).trimmingWhitespace() == wanted
            else { return nil }
            return pid
        }.min()
    }

    /// The value of `--config-file X` or `--config-file=X` (clap accepts both; the last one wins).
    package static func configFile(in arguments: [String]) -> String? {
        var result: String?
        var index = 1
        while index < arguments.count {
            let argument = arguments[index]
            if argument == "--" { break }
            if argument == "--config-file", index + 1 < arguments.count {
                result = arguments[index + 1]
                index += 2
                continue
            }
            if argument.hasPrefix("--config-file=") {
                result = String(argument.dropFirst("--config-file=".count))
            }
            index += 1
        }
        return result
    }

    static func split(_ bytes: [UInt8]) -> [[UInt8]] {
        bytes.split(separator: 0, omittingEmptySubsequences: true).map(Array.init)
    }

    static let permissionFix =
        "reading another user's process needs that user or root (CAP_SYS_PTRACE): run kms-drift as root or as the kms-server user"

    private static func readProcFile(_ path: String, pid: Int32) throws(EffectiveConfigError) -> [UInt8] {
        do {
            return try FileContents.readKernelFile(path, maximumSize: InputFile.defaultMaximumSize)
        } catch {
            let denied: Bool
            if case .system(let code) = error { denied = code.isPermissionDenied } else { denied = false }
            throw .process(
                pid: pid, path: path, reason: error.description,
                fix: denied ? permissionFix : "check that the process still runs")
        }
    }

    private static func readLink(_ path: String, pid: Int32) throws(EffectiveConfigError) -> String {
        do {
            return String(
                decoding: try SymbolicLink.target(of: Array(path.utf8)), as: UTF8.self)
        } catch {
            throw .process(
                pid: pid, path: path, reason: error.description,
                fix: error.isPermissionDenied ? permissionFix : "check that the process still runs")
        }
    }
}
