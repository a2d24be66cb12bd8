extension StringProtocol {
    /// True when the string is 1 to `maxLength` ASCII letters, digits, `-` or `_`: a name that is
    /// safe in a Redis key, a URL path and a log line (a job id, a database name). Checked byte by
    /// byte, without a regular expression (`NSRegularExpression` loads ICU's regex engine).
    public func isIdentifier(maxLength: Int) -> Bool {
        (1...maxLength).contains(utf8.count)
            && utf8.allSatisfy { byte in
                switch byte {
                case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                    UInt8(ascii: "_"), UInt8(ascii: "-"):
                    true
                default: false
                }
            }
    }
}
