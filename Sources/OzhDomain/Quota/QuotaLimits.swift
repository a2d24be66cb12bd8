/// The per-project limits the limiter enforces (Gemini's quotas are per Google project).
///
/// Defaults are the free tier of text models (15 RPM, 1500 RPD); image models have had
/// about 10 RPM and 100 RPD. Every value should come from settings.
public struct QuotaLimits: Sendable, Equatable {
    /// Requests per sliding window (per minute unless ``windowLength`` is changed).
    public var rpm: Int
    /// Requests per day.
    public var rpd: Int
    /// Images per sliding window, or nil for no such limit.
    public var ipm: Int?
    /// Length of the sliding window (60 s; shorter in tests and benchmarks).
    public var windowLength: Duration
    /// Length of a "day" for tests, or nil for real days ending at midnight America/Los_Angeles.
    public var dayLength: Duration?
    /// How much longer than ``windowLength`` a call keeps counting. A slot is taken before the
    /// request leaves, and Google counts it when it *arrives*: two calls granted exactly one
    /// window apart can arrive less than a window apart when the first one travelled longer.
    /// The margin absorbs that jitter (`GEMINI_WINDOW_MARGIN_MS`, default 1.5 s: at most 2.5%
    /// of a one-minute window is given up).
    public var safetyMargin: Duration

    /// The window the limiter really counts in: ``windowLength`` plus ``safetyMargin``.
    public var effectiveWindow: Duration { windowLength + safetyMargin }

    /// Creates limits.
    public init(
        rpm: Int = 15, rpd: Int = 1500, ipm: Int? = nil, windowLength: Duration = .seconds(60), dayLength: Duration? = nil,
        safetyMargin: Duration = .milliseconds(1500)
    ) {
        self.safetyMargin = safetyMargin
        self.rpm = rpm
        self.rpd = rpd
        self.ipm = ipm
        self.windowLength = windowLength
        self.dayLength = dayLength
    }

    /// Throws when a limit cannot work (zero or negative values, windows under 10 ms).
    public func validate() throws(QuotaError) {
        guard rpm >= 1, rpd >= 1 else { throw .invalidArgument("rpm and rpd must be at least 1") }
        if let ipm, ipm < 1 { throw .invalidArgument("ipm must be at least 1 (or nil for none)") }
        guard windowLength.wholeMilliseconds >= 10 else { throw .invalidArgument("windowLength must be at least 10 ms") }
        if let dayLength, dayLength.wholeMilliseconds < 10 { throw .invalidArgument("dayLength must be at least 10 ms") }
    }
}
