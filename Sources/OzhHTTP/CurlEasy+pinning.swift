import CCurl

extension CurlEasy {
    /// Pins host names to addresses (`CURLOPT_RESOLVE`, entries `host:port:address`) and turns
    /// proxies off, so the transfer connects to exactly those addresses. Returns the list, which
    /// the caller frees after the transfer; nil (and nothing set) when `entries` is empty.
    func pin(_ entries: [String]) throws -> UnsafeMutablePointer<curl_slist>? {
        guard !entries.isEmpty else { return nil }
        var list: UnsafeMutablePointer<curl_slist>?
        for entry in entries {
            guard HTTPRequestValidation.isSafeValue(entry), let extended = curl_slist_append(list, entry) else {
                curl_slist_free_all(list)
                throw HTTPClientError.transport("an address pin is invalid")
            }
            list = extended
        }
        try check(ozh_curl_setopt_ptr(handle, CURLOPT_RESOLVE, list))
        try check(ozh_curl_setopt_str(handle, CURLOPT_NOPROXY, "*"))
        return list
    }
}
