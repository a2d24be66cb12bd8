import CCurl

extension CurlEasy {
    /// Options every request gets after `curl_easy_reset`.
    func applyCommonOptions(_ configuration: HTTPClient.Configuration, timeout: Duration?) throws {
        try check(ozh_curl_setopt_ptr(handle, CURLOPT_ERRORBUFFER, errorBuffer))
        // Several threads run transfers: libcurl must not use signals (SIGALRM for DNS timeouts).
        try check(ozh_curl_setopt_long(handle, CURLOPT_NOSIGNAL, 1))
        try check(
            ozh_curl_setopt_long(
                handle, CURLOPT_CONNECTTIMEOUT_MS, configuration.connectTimeout.curlMilliseconds))
        try check(
            ozh_curl_setopt_long(
                handle, CURLOPT_TIMEOUT_MS, (timeout ?? configuration.totalTimeout).curlMilliseconds))
        try check(ozh_curl_setopt_str(handle, CURLOPT_PROTOCOLS_STR, "http,https"))
        try check(ozh_curl_setopt_str(handle, CURLOPT_REDIR_PROTOCOLS_STR, "http,https"))
        if configuration.followRedirects {
            try check(ozh_curl_setopt_long(handle, CURLOPT_FOLLOWLOCATION, 1))
            try check(ozh_curl_setopt_long(handle, CURLOPT_MAXREDIRS, 10))
        } else {
            try check(ozh_curl_setopt_long(handle, CURLOPT_FOLLOWLOCATION, 0))
        }
        try check(ozh_curl_setopt_str(handle, CURLOPT_USERAGENT, configuration.userAgent))
        // Only an explicit proxy is set. Left unset (NULL after the reset), libcurl reads
        // http_proxy / HTTPS_PROXY / ALL_PROXY / NO_PROXY from the environment per transfer;
        // setting it to "" would disable that, so never do.
        if let proxy = configuration.proxy {
            try check(ozh_curl_setopt_str(handle, CURLOPT_PROXY, proxy))
        }
        if let caInfo = configuration.caInfo {
            try check(ozh_curl_setopt_str(handle, CURLOPT_CAINFO, caInfo))
        }
        if configuration.insecureSkipVerify {
            try check(ozh_curl_setopt_long(handle, CURLOPT_SSL_VERIFYPEER, 0))
            try check(ozh_curl_setopt_long(handle, CURLOPT_SSL_VERIFYHOST, 0))
        }
    }

    /// Points the body, header and progress callbacks at `transfer` (kept alive by the caller).
    func installCallbacks(for transfer: CurlTransfer) throws {
        let context = Unmanaged.passUnretained(transfer).toOpaque()
        try check(ozh_curl_setopt_ptr(handle, CURLOPT_WRITEDATA, context))
        try check(
            ozh_curl_setopt_write(handle, CURLOPT_WRITEFUNCTION) { data, size, count, context in
                let length = size * count
                guard let data, let context else { return 0 }
                let transfer = Unmanaged<CurlTransfer>.fromOpaque(context).takeUnretainedValue()
                transfer.body.append(UnsafeRawPointer(data).assumingMemoryBound(to: UInt8.self), count: length)
                return length
            })
        try check(ozh_curl_setopt_ptr(handle, CURLOPT_HEADERDATA, context))
        try check(
            ozh_curl_setopt_write(handle, CURLOPT_HEADERFUNCTION) { data, size, count, context in
                let length = size * count
                guard let data, let context else { return 0 }
                let transfer = Unmanaged<CurlTransfer>.fromOpaque(context).takeUnretainedValue()
                transfer.receiveHeaderLine(UnsafeRawBufferPointer(start: data, count: length))
                return length
            })
        // The progress callback runs often during transfers and about once a second while
        // idle; returning non-zero aborts with CURLE_ABORTED_BY_CALLBACK.
        try check(ozh_curl_setopt_long(handle, CURLOPT_NOPROGRESS, 0))
        try check(ozh_curl_setopt_ptr(handle, CURLOPT_XFERINFODATA, context))
        try check(
            ozh_curl_setopt_xferinfo(handle, CURLOPT_XFERINFOFUNCTION) { context, _, _, _, _ in
                guard let context else { return 0 }
                let transfer = Unmanaged<CurlTransfer>.fromOpaque(context).takeUnretainedValue()
                return transfer.cancel.isCancelled ? 1 : 0
            })
    }
}
