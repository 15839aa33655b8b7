import CCurl
import FileSystem

/// One `GET` with libcurl, loaded on first use (see `Sources/CCurl/shim.h`), bounded in time
/// and size and following no redirect: what kms-drift needs to read a running kms-server's
/// `/config` (or a party's published statement), and nothing more.
///
/// Proxies from the environment (`http_proxy`, `ALL_PROXY`) are ignored: a loopback URL must
/// reach the loopback, not a proxy that would carry the configuration off the node.
package struct HTTPGet: Sendable {
    /// Where the request goes: a URL curl understands, and the unix socket to connect through
    /// for `http+unix://` and `unix://` URLs.
    package struct Target: Equatable, Sendable {
        package var url: String
        package var unixSocket: String?
    }

    /// Why a `GET` gave no body; `description` is worded for operators.
    package enum Failure: Error, Equatable, CustomStringConvertible, Sendable {
        case libraryMissing(String)
        case badURL(String)
        case timedOut(Duration)
        case bodyTooLarge(limit: Int)
        case redirect(status: Int, location: String?)
        case status(Int)
        case transfer(String)

        package var description: String {
            switch self {
            case .libraryMissing(let reason):
                return "libcurl could not be loaded (\(reason)); install libcurl4 (Debian) to fetch URLs"
            case .badURL(let reason):
                return reason
            case .timedOut(let timeout):
                let (seconds, attoseconds) = timeout.components
                return attoseconds == 0
                    ? "no answer within \(seconds) s" : "no answer within \(HTTPGet.milliseconds(timeout)) ms"
            case .bodyTooLarge(let limit):
                return
                    "the answer is larger than \(ByteCountText.text(Int64(limit))); refused (limit \(ByteCountText.text(Int64(limit))))"
            case .redirect(let status, let location):
                return
                    "HTTP status \(status) redirects to \(location ?? "another URL"); kms-drift follows no redirect: "
                    + "give the final URL"
            case .status(let code):
                return "HTTP status \(code)"
            case .transfer(let reason):
                return reason
            }
        }
    }

    /// The largest body accepted: a kms-server `/config` is a few kilobytes.
    package static let defaultBodyLimit = 16 << 20

    package let target: Target
    package let timeout: Duration
    package let bodyLimit: Int
    /// Whether `https` may be used (remote URLs); plain `http` otherwise.
    package let allowTLS: Bool

    package init(url: String, timeout: Duration, bodyLimit: Int = defaultBodyLimit, allowTLS: Bool)
        throws(Failure)
    {
        self.target = try Self.target(of: url)
        self.timeout = timeout
        self.bodyLimit = bodyLimit
        self.allowTLS = allowTLS
    }

    /// `duration` in milliseconds for curl's `CURLOPT_TIMEOUT_MS`, a part of a millisecond
    /// rounded up (curl reads 0 as "no limit", so a tiny timeout must not become 0).
    static func milliseconds(_ duration: Duration) -> Int {
        let (seconds, attoseconds) = duration.components
        let perMillisecond: Int64 = 1_000_000_000_000_000
        return Int(seconds) * 1000 + Int((attoseconds + perMillisecond - 1) / perMillisecond)
    }

    /// Maps `http+unix://%2Frun%2Fkms.sock/config` to `http://localhost/config` through the
    /// socket `/run/kms.sock`, and `unix:///run/kms.sock` to `/` on that socket; other URLs
    /// are passed to curl unchanged.
    package static func target(of url: String) throws(Failure) -> Target {
        let lowered = url.lowercased()
        if lowered.hasPrefix("http+unix://") {
            let rest = url.dropFirst("http+unix://".count)
            let encodedSocket = rest.prefix { $0 != "/" && $0 != "?" }
            guard let socket = percentDecoded(String(encodedSocket)), socket.hasPrefix("/") else {
                throw .badURL(
                    "\(url): the socket path must be percent-encoded and absolute (http+unix://%2Frun%2Fkms.sock/config)"
                )
            }
            let path = rest.dropFirst(encodedSocket.count)
            return Target(url: "http://localhost" + (path.isEmpty ? "/" : path), unixSocket: socket)
        }
        if lowered.hasPrefix("unix://") {
            let socket = String(url.dropFirst("unix://".count))
            guard socket.hasPrefix("/") else {
                throw .badURL("\(url): the socket path must be absolute (unix:///run/kms.sock)")
            }
            return Target(url: "http://localhost/", unixSocket: socket)
        }
        return Target(url: url, unixSocket: nil)
    }

    /// The body of a `200 OK` answer.
    package func run() throws(Failure) -> [UInt8] {
        let api = try Self.library.get()
        var api_ = api.functions
        guard let handle = api_.curl_easy_init() else { throw .transfer("curl_easy_init failed") }
        defer { api_.curl_easy_cleanup(handle) }
        let sink = BodySink(limit: bodyLimit)
        let unmanaged = Unmanaged.passRetained(sink)
        defer { unmanaged.release() }
        var errorText = [CChar](repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
        let performed: CURLcode = errorText.withUnsafeMutableBufferPointer { errorBuffer in
            var setup: [CURLcode] = []
            setup.append(ccurl_set_string(&api_, handle, CURLOPT_URL, target.url))
            if let socket = target.unixSocket {
                setup.append(ccurl_set_string(&api_, handle, CURLOPT_UNIX_SOCKET_PATH, socket))
            }
            setup.append(
                ccurl_set_string(&api_, handle, CURLOPT_PROTOCOLS_STR, allowTLS ? "http,https" : "http"))
            setup.append(ccurl_set_long(&api_, handle, CURLOPT_FOLLOWLOCATION, 0))
            setup.append(ccurl_set_string(&api_, handle, CURLOPT_PROXY, ""))
            setup.append(ccurl_set_long(&api_, handle, CURLOPT_NOSIGNAL, 1))
            setup.append(ccurl_set_long(&api_, handle, CURLOPT_TIMEOUT_MS, Self.milliseconds(timeout)))
            setup.append(ccurl_set_size(&api_, handle, CURLOPT_MAXFILESIZE_LARGE, curl_off_t(bodyLimit)))
            setup.append(ccurl_set_string(&api_, handle, CURLOPT_USERAGENT, "kms-drift"))
            setup.append(ccurl_set_pointer(&api_, handle, CURLOPT_ERRORBUFFER, errorBuffer.baseAddress))
            setup.append(ccurl_set_pointer(&api_, handle, CURLOPT_WRITEDATA, unmanaged.toOpaque()))
            setup.append(ccurl_set_write_function(&api_, handle, bodySinkWrite))
            if let failed = setup.first(where: { $0 != CURLE_OK }) { return failed }
            return api_.curl_easy_perform(handle)
        }
        if sink.overflowed || performed == CURLE_FILESIZE_EXCEEDED { throw .bodyTooLarge(limit: bodyLimit) }
        guard performed == CURLE_OK else {
            if performed == CURLE_OPERATION_TIMEDOUT { throw .timedOut(timeout) }
            let detail = String(
                decoding: errorText.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            let summary =
                api_.curl_easy_strerror(performed).map { String(cString: $0) }
                ?? "error \(performed.rawValue)"
            throw .transfer(detail.isEmpty ? summary : detail)
        }
        var status = 0
        _ = ccurl_get_long(&api_, handle, CURLINFO_RESPONSE_CODE, &status)
        if (300..<400).contains(status) {
            var location: UnsafeMutablePointer<CChar>?
            _ = ccurl_get_string(&api_, handle, CURLINFO_REDIRECT_URL, &location)
            throw .redirect(status: status, location: location.map { String(cString: $0) })
        }
        guard status == 200 else { throw .status(status) }
        return sink.body
    }

    /// libcurl, loaded and initialised once per process.
    private static let library: Result<LoadedCurl, Failure> = {
        var functions = CCurlAPI()
        if let failure = ccurl_load(&functions) {
            return .failure(.libraryMissing(String(cString: failure)))
        }
        return .success(LoadedCurl(functions: functions))
    }()

    private static func percentDecoded(_ text: String) -> String? {
        var bytes: [UInt8] = []
        var iterator = Array(text.utf8).makeIterator()
        while let byte = iterator.next() {
            guard byte == UInt8(ascii: "%") else {
                bytes.append(byte)
                continue
            }
            guard let high = iterator.next(), let low = iterator.next(),
                let value = Hex.decode(String(decoding: [high, low], as: UTF8.self))
            else { return nil }
            bytes += value
        }
        return String(validating: bytes, as: UTF8.self)
    }
}

/// The resolved functions; immutable after loading, so sharing them across threads is safe.
private struct LoadedCurl: @unchecked Sendable {
    let functions: CCurlAPI
}

/// Collects the body up to a limit; curl calls it on the thread that runs the transfer only.
private final class BodySink {
    let limit: Int
    var body: [UInt8] = []
    var overflowed = false

    init(limit: Int) { self.limit = limit }
}

/// curl's write callback: appends to the `BodySink` behind `context`, or takes nothing (which
/// aborts the transfer) once the limit would be passed.
private func bodySinkWrite(
    _ data: UnsafeMutablePointer<CChar>?, _ size: Int, _ count: Int, _ context: UnsafeMutableRawPointer?
) -> Int {
    guard let data, let context else { return 0 }
    let sink = Unmanaged<BodySink>.fromOpaque(context).takeUnretainedValue()
    let length = size * count
    guard sink.body.count + length <= sink.limit else {
        sink.overflowed = true
        return 0
    }
    data.withMemoryRebound(to: UInt8.self, capacity: length) {
        sink.body.append(contentsOf: UnsafeBufferPointer(start: $0, count: length))
    }
    return length
}
