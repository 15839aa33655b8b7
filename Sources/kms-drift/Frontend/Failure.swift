import ArgumentParser

/// Turns a library error into what every command does on failure: one line on stderr saying
/// what went wrong and where, and exit status 2.
enum Failure {
    static func exitOnError<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let exit as ExitCode {
            throw exit
        } catch {
            Terminal.writeError("kms-drift: \(error)\n")
            throw ExitCode(2)
        }
    }
}
