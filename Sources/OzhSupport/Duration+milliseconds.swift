extension Duration {
    /// Whole milliseconds: rounded down, never negative, `Int64.max` for a duration too long to
    /// count in milliseconds. The one conversion from `Duration` to milliseconds (Redis TTLs and
    /// scores, libcurl timeouts, logged and recorded latencies).
    public var wholeMilliseconds: Int64 {
        let (seconds, attoseconds) = components
        let millis = seconds.multipliedReportingOverflow(by: 1000)
        guard !millis.overflow else { return seconds > 0 ? .max : 0 }
        return max(0, millis.partialValue + attoseconds / 1_000_000_000_000_000)
    }
}
