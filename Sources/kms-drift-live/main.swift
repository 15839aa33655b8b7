import EffectiveConfig
import Glibc
import LiveEndpoint

// kms-drift-live URL [--timeout SECONDS] [--allow-remote]
//
// The one program of kms-drift that links an HTTP client (AsyncHTTPClient, NIO): `kms-drift
// effective --url` and the daemon's `[effective] url` run it, so every other command starts
// without it. Writes the body of `GET URL` to stdout and exits 0, or one line to stderr and
// exits 2 (the URL refused by the loopback policy, no answer in time, an HTTP error).

func fail(_ message: String) -> Never {
    let line = Array("kms-drift-live: \(message)\n".utf8)
    _ = line.withUnsafeBytes { write(STDERR_FILENO, $0.baseAddress, $0.count) }
    exit(2)
}

var url: String?
var timeout: Int64 = 5
var allowRemote = false
var arguments = CommandLine.arguments.dropFirst()
while let argument = arguments.popFirst() {
    switch argument {
    case "--timeout":
        guard let value = arguments.popFirst().flatMap({ Int64($0) }), value > 0 else {
            fail("--timeout needs a number of seconds")
        }
        timeout = value
    case "--allow-remote":
        allowRemote = true
    case _ where url == nil && !argument.hasPrefix("--"):
        url = argument
    default:
        fail(
            "unexpected argument \(argument); usage: kms-drift-live URL [--timeout SECONDS] [--allow-remote]")
    }
}
guard let url else { fail("usage: kms-drift-live URL [--timeout SECONDS] [--allow-remote]") }
do {
    let body = try LiveEndpoint(url: url, timeoutSeconds: timeout, allowRemote: allowRemote).fetchBody()
    var offset = 0
    while offset < body.count {
        let written = body[offset...].withUnsafeBytes { write(STDOUT_FILENO, $0.baseAddress, $0.count) }
        if written < 0 {
            if errno == EINTR { continue }
            fail("cannot write the answer: \(String(cString: strerror(errno)))")
        }
        offset += written
    }
} catch {
    fail(error.description)
}
