import CCurl
import Foundation

/// The one owner of a libcurl easy handle (`CURL *`); no raw pointer leaves this type.
///
/// `@unchecked Sendable`: a handle is used by one thread at a time. It is either parked in
/// ``HTTPClient``'s `Mutex`-protected free list or checked out by exactly one transfer,
/// and the hand-over goes through that lock.
final class CurlEasy: @unchecked Sendable {
    /// The `CURL *`. Internal only so `CurlEasy+Options.swift` can set options; nothing
    /// outside the `CurlEasy` files touches it.
    let handle: UnsafeMutableRawPointer
    /// libcurl's `CURLOPT_ERRORBUFFER` (CURL_ERROR_SIZE bytes), owned by this handle.
    let errorBuffer: UnsafeMutablePointer<CChar>

    /// Creates a handle; throws when libcurl cannot allocate one.
    init() throws(HTTPClientError) {
        guard let handle = curl_easy_init() else {
            throw .transport("curl_easy_init failed")
        }
        self.handle = handle
        self.errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE))
    }

    deinit {
        curl_easy_cleanup(handle)
        errorBuffer.deallocate()
    }

    /// Runs `request` to completion on the calling thread (blocking).
    ///
    /// The handle is reset first, so no option of an earlier request carries over; its
    /// connection cache does, which is what makes keep-alive work.
    func perform(
        _ request: HTTPRequest, configuration: HTTPClient.Configuration, cancel: CancelFlag
    ) throws -> HTTPResponse {
        curl_easy_reset(handle)
        errorBuffer[0] = 0
        var headerList: UnsafeMutablePointer<curl_slist>?
        var resolveList: UnsafeMutablePointer<curl_slist>?
        defer {
            curl_slist_free_all(headerList)
            curl_slist_free_all(resolveList)
        }

        try applyCommonOptions(configuration, timeout: request.timeout)
        try applyURL(request.url)
        headerList = try makeHeaderList(request.headers)
        try check(ozh_curl_setopt_ptr(handle, CURLOPT_HTTPHEADER, headerList))
        resolveList = try pin(request.resolve)

        let transfer = CurlTransfer(cancel: cancel)
        let code = try withExtendedLifetime(transfer) { () throws -> CURLcode in
            try installCallbacks(for: transfer)
            if cancel.isCancelled { return CURLE_ABORTED_BY_CALLBACK }
            return try performWithBody(method: request.method, body: request.body)
        }
        guard code == CURLE_OK else {
            if code == CURLE_ABORTED_BY_CALLBACK, cancel.isCancelled { throw CancellationError() }
            var proxyStatus = 0, requestBytes = 0
            _ = ozh_curl_getinfo_long(handle, CURLINFO_HTTP_CONNECTCODE, &proxyStatus)
            _ = ozh_curl_getinfo_long(handle, CURLINFO_REQUEST_SIZE, &requestBytes)
            throw HTTPClientError.from(code, detail: String(cString: errorBuffer), proxyStatus: proxyStatus, requestBytes: requestBytes)
        }
        var status = 0
        _ = ozh_curl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status)
        return HTTPResponse(status: status, headers: transfer.headers, body: transfer.body)
    }

    /// Sets the method and body, then calls `curl_easy_perform` while the body bytes are alive.
    private func performWithBody(method: String, body: Data?) throws -> CURLcode {
        guard HTTPRequestValidation.isToken(method) else {
            throw HTTPClientError.transport("invalid request method")
        }
        let sendsEmptyBody = ["POST", "PUT", "PATCH"].contains(method)
        guard let body = body ?? (sendsEmptyBody ? Data() : nil) else {
            switch method {
            case "GET": try check(ozh_curl_setopt_long(handle, CURLOPT_HTTPGET, 1))
            case "HEAD": try check(ozh_curl_setopt_long(handle, CURLOPT_NOBODY, 1))
            default: try check(ozh_curl_setopt_str(handle, CURLOPT_CUSTOMREQUEST, method))
            }
            return curl_easy_perform(handle)
        }
        return try body.withUnsafeBytes { bytes throws -> CURLcode in
            try check(ozh_curl_setopt_off(handle, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(bytes.count)))
            // POSTFIELDS is not copied: `bytes` stays valid until perform returns. Never NULL
            // (NULL would make libcurl read the body from its default read callback, stdin).
            let pointer = bytes.baseAddress ?? UnsafeRawPointer(Self.emptyBody.utf8Start)
            try check(ozh_curl_setopt_ptr(handle, CURLOPT_POSTFIELDS, pointer))
            if method != "POST" {
                try check(ozh_curl_setopt_str(handle, CURLOPT_CUSTOMREQUEST, method))
            }
            return curl_easy_perform(handle)
        }
    }

    private static let emptyBody: StaticString = ""

    private func applyURL(_ url: String) throws {
        guard !url.isEmpty, !url.utf8.contains(0) else { throw HTTPClientError.invalidURL }
        let code = ozh_curl_setopt_str(handle, CURLOPT_URL, url)
        if code == CURLE_URL_MALFORMAT { throw HTTPClientError.invalidURL }
        try check(code)
    }

    /// Builds the `curl_slist` of request headers; the caller frees it after the transfer.
    private func makeHeaderList(_ headers: [(String, String)]) throws -> UnsafeMutablePointer<curl_slist>? {
        var list: UnsafeMutablePointer<curl_slist>?
        var hasExpect = false
        for (name, value) in headers {
            guard HTTPRequestValidation.isToken(name), HTTPRequestValidation.isSafeValue(value) else {
                curl_slist_free_all(list)
                throw HTTPClientError.transport("a request header has an invalid name or value")
            }
            hasExpect = hasExpect || name.lowercased() == "expect"
            // "Name;" is libcurl's way to send a header with an empty value.
            list = try append(value.isEmpty ? "\(name);" : "\(name): \(value)", to: list)
        }
        // No `Expect: 100-continue` for large bodies unless asked: servers that ignore it stall 1 s.
        if !hasExpect { list = try append("Expect:", to: list) }
        return list
    }

    private func append(
        _ line: String, to list: UnsafeMutablePointer<curl_slist>?
    ) throws -> UnsafeMutablePointer<curl_slist>? {
        guard let extended = curl_slist_append(list, line) else {
            curl_slist_free_all(list)
            throw HTTPClientError.transport("out of memory building request headers")
        }
        return extended
    }

    /// Throws ``HTTPClientError/transport(_:)`` for a failed `curl_easy_setopt`.
    func check(_ code: CURLcode) throws {
        guard code == CURLE_OK else {
            throw HTTPClientError.transport("curl option rejected: \(String(cString: curl_easy_strerror(code)))")
        }
    }
}
