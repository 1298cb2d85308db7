import CCurl
import PaladinCore
import Synchronization

/// One libcurl easy handle and the stream it feeds. This file and `CurlEngine` are the only
/// places that touch C pointers.
///
/// Safety of `@unchecked Sendable`: after `init` (on the caller's thread, before the engine sees
/// it) every mutable field is used only by the engine's driver thread (libcurl calls the
/// callbacks from `curl_multi_perform` on that thread), and so is the sink.
final class Transfer: @unchecked Sendable {
    let easy: UnsafeMutableRawPointer
    /// Set by `CurlEngine.cancel` from any thread; checked when the driver adds the transfer.
    let cancelRequested = Atomic<Bool>(false)
    private var headerList: UnsafeMutablePointer<curl_slist>?
    private let errorBuffer: UnsafeMutablePointer<CChar>
    private let sink: any TransferSink
    private var headers: [String: String] = [:]
    private var headSent = false
    /// Set when the consumer went away, so the write callback stops the transfer.
    private var abandoned = false
    /// Why the transfer aborted itself (a limit passed); reported instead of libcurl's code.
    private var failure: ProviderError?
    private let limits: ResponseLimits
    private var bodyBytes = 0
    private var headerBytes = 0

    init(_ request: HTTPRequest, sink: any TransferSink) throws(ProviderError) {
        guard let easy = curl_easy_init() else { throw ProviderError(.network, "curl_easy_init failed") }
        self.easy = easy
        self.sink = sink
        limits = request.limits
        errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE))
        errorBuffer.initialize(to: 0)
        configure(request)
    }

    private func configure(_ request: HTTPRequest) {
        let context = Unmanaged.passUnretained(self).toOpaque()
        ccurl_easy_setopt_string(easy, CURLOPT_URL, request.url)
        ccurl_easy_setopt_long(easy, CURLOPT_NOSIGNAL, 1)
        ccurl_easy_setopt_string(easy, CURLOPT_PROTOCOLS_STR, "http,https")
        ccurl_easy_setopt_long(easy, CURLOPT_TCP_KEEPALIVE, 1)
        ccurl_easy_setopt_pointer(easy, CURLOPT_ERRORBUFFER, errorBuffer)
        ccurl_easy_setopt_callback(easy, CURLOPT_WRITEFUNCTION, transferWrite)
        ccurl_easy_setopt_pointer(easy, CURLOPT_WRITEDATA, context)
        ccurl_easy_setopt_callback(easy, CURLOPT_HEADERFUNCTION, transferHeader)
        ccurl_easy_setopt_pointer(easy, CURLOPT_HEADERDATA, context)
        // Refuses a declared Content-Length over the cap before any byte; `received` enforces
        // the cap on bodies without one.
        if let max = request.limits.maxResponseBytes { ccurl_easy_setopt_off_t(easy, CURLOPT_MAXFILESIZE_LARGE, curl_off_t(max)) }
        ccurl_easy_setopt_long(easy, CURLOPT_CONNECTTIMEOUT_MS, request.timeouts.connect.curlMilliseconds)
        if let total = request.timeouts.total { ccurl_easy_setopt_long(easy, CURLOPT_TIMEOUT_MS, total.curlMilliseconds) }
        if let idle = request.timeouts.idle {
            ccurl_easy_setopt_long(easy, CURLOPT_LOW_SPEED_LIMIT, 1)
            ccurl_easy_setopt_long(easy, CURLOPT_LOW_SPEED_TIME, max(1, (idle.curlMilliseconds + 999) / 1000))
        }
        // No "Expect: 100-continue" round trip for larger bodies.
        for line in request.headers.map({ "\($0.name): \($0.value)" }) + ["Expect:"] {
            headerList = curl_slist_append(headerList, line)
        }
        ccurl_easy_setopt_slist(easy, CURLOPT_HTTPHEADER, headerList)
        if request.method == "POST" || !request.body.isEmpty {
            ccurl_easy_setopt_off_t(easy, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(request.body.count))
            _ = request.body.withUnsafeBytes { bytes in
                // COPYPOSTFIELDS copies now, so the Swift array need not outlive this call.
                ccurl_easy_setopt_pointer(easy, CURLOPT_COPYPOSTFIELDS, UnsafeMutableRawPointer(mutating: bytes.baseAddress))
            }
        } else {
            ccurl_easy_setopt_long(easy, CURLOPT_HTTPGET, 1)
        }
    }

    /// Body bytes from libcurl; returns how many were taken (fewer aborts the transfer), or
    /// `CURL_WRITEFUNC_PAUSE` to be handed the same bytes again after `resume`.
    fileprivate func received(_ bytes: UnsafeRawBufferPointer) -> Int {
        if !headSent { sendHead() }
        if let max = limits.maxResponseBytes, bytes.count > max - bodyBytes {
            failure = limits.bodyTooLarge(max)
            return 0
        }
        switch sink.body(bytes) {
        case .taken:
            bodyBytes += bytes.count
            return bytes.count
        case .pause:
            return ccurl_writefunc_pause()
        case .abort:
            abandoned = true
            return 0
        }
    }

    /// One header line from libcurl. A status line starts a new header block (redirects, 100s).
    fileprivate func receivedHeader(_ bytes: UnsafeRawBufferPointer) -> Int {
        headerBytes += bytes.count
        guard headerBytes <= ResponseLimits.maxHeaderBytes else {
            failure = limits.headersTooLarge
            return 0
        }
        if bytes.starts(with: "HTTP/".utf8) {
            headers = [:]
        } else if let colon = bytes.firstIndex(of: UInt8(ascii: ":")) {
            let name = String(decoding: bytes[..<colon], as: UTF8.self).lowercased()
            let value = String(decoding: bytes[(colon + 1)...], as: UTF8.self)
            headers[name] = value.trimmed
        }
        return bytes.count
    }

    private func sendHead() {
        headSent = true
        var status = 0
        ccurl_easy_getinfo_long(easy, CURLINFO_RESPONSE_CODE, &status)
        sink.head(HTTPHead(status: status, headers: headers))
    }

    /// Ends the stream with libcurl's result for the transfer.
    func finish(_ code: CURLcode) {
        if let failure {
            sink.finish(failure)
        } else if code == CURLE_FILESIZE_EXCEEDED, let max = limits.maxResponseBytes {
            sink.finish(limits.bodyTooLarge(max))
        } else if code == CURLE_OK {
            if !headSent { sendHead() }
            sink.finish(nil)
        } else if abandoned {
            sink.finish(CancellationError())
        } else {
            sink.finish(Self.error(code, detail: String(cString: errorBuffer)))
        }
    }

    /// Lets a paused transfer go on; libcurl may call the write callback from inside this call
    /// with the bytes it held. Driver thread only, outside any callback.
    func resume() {
        ccurl_easy_unpause(easy)
    }

    /// Ends the stream with `error` (cancellation, engine shutdown).
    func finish(throwing error: any Error) {
        sink.finish(error)
    }

    private static func error(_ code: CURLcode, detail: String) -> ProviderError {
        let message = detail.isEmpty ? String(cString: curl_easy_strerror(code)) : detail
        return ProviderError(code == CURLE_OPERATION_TIMEDOUT ? .timeout : .network, message)
    }

    deinit {
        curl_easy_cleanup(easy)
        curl_slist_free_all(headerList)
        errorBuffer.deallocate()
    }
}

private let transferWrite: ccurl_data_callback = { data, size, count, context in
    guard let context else { return 0 }
    let transfer = Unmanaged<Transfer>.fromOpaque(context).takeUnretainedValue()
    return transfer.received(UnsafeRawBufferPointer(start: data, count: size * count))
}

private let transferHeader: ccurl_data_callback = { data, size, count, context in
    guard let context else { return 0 }
    let transfer = Unmanaged<Transfer>.fromOpaque(context).takeUnretainedValue()
    return transfer.receivedHeader(UnsafeRawBufferPointer(start: data, count: size * count))
}

extension String {
    /// The string without leading and trailing spaces, tabs and line ends.
    var trimmed: String {
        var view = Substring(self)
        while let first = view.first, first == " " || first == "\t" || first.isNewline { view.removeFirst() }
        while let last = view.last, last == " " || last == "\t" || last.isNewline { view.removeLast() }
        return String(view)
    }
}
