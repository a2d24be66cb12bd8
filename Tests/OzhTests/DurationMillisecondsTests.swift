import Testing

/// ``Swift/Duration/wholeMilliseconds``, the one Duration → milliseconds conversion.
@Suite("Duration in milliseconds")
struct DurationMillisecondsTests {
    @Test func roundsDownAndNeverGoesNegative() {
        #expect(Duration.seconds(90).wholeMilliseconds == 90_000)
        #expect(Duration.milliseconds(1500).wholeMilliseconds == 1500)
        #expect(Duration.microseconds(2999).wholeMilliseconds == 2)
        #expect(Duration.nanoseconds(999_999).wholeMilliseconds == 0)
        #expect(Duration.milliseconds(-5).wholeMilliseconds == 0)
        #expect(Duration.seconds(Int64.max).wholeMilliseconds == .max)
        #expect(Duration.seconds(Int64.min).wholeMilliseconds == 0)
    }

    @Test func libcurlGetsAtLeastOneMillisecond() {
        #expect(Duration.zero.curlMilliseconds == 1)
        #expect(Duration.microseconds(10).curlMilliseconds == 1)
        #expect(Duration.seconds(120).curlMilliseconds == 120_000)
        #expect(Duration.seconds(Int64.max).curlMilliseconds == Int.max)
    }
}
