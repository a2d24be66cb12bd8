import Foundation
import OzhSupport

// The kinds of ozh-queue-probe (Sources/QueueProbeWorker), declared here because the queue's
// process tests and bench/QueueBench queue them too (an executable cannot be imported). They
// have no queue of their own: the probe takes `OZH_QUEUE`.

/// A `count` job's payload: how long the handler sleeps before counting the run.
public struct ProbeCount: Codable, Sendable, Equatable {
    /// Milliseconds to sleep (none when nil).
    public var sleepMS: Int?

    enum CodingKeys: String, CodingKey {
        case sleepMS = "sleep_ms"
    }

    /// Creates a payload.
    public init(sleepMS: Int? = nil) {
        self.sleepMS = sleepMS
    }
}

/// A `count` job's result: `{"ok":true}`.
public struct ProbeOK: Codable, Sendable, Equatable {
    /// Always true.
    public var ok: Bool

    /// Creates the result.
    public init(ok: Bool = true) {
        self.ok = ok
    }
}

extension JobKind where Payload == ProbeCount, Result == ProbeOK {
    /// `count`: sleeps `sleep_ms`, then `HINCRBY <prefix>effects <job id> 1` (counts runs per job).
    /// `{}` (the benchmark's jobs) is written and read without a JSON coder; a payload that does
    /// not parse reads as no sleep.
    public static var probeCount: Self {
        JobKind(
            "count",
            payload: JobCoding(
                encode: { payload in payload.sleepMS.map { JSONValue.object([("sleep_ms", .int(Int64($0)))]).serialized } ?? "{}" },
                decode: { text in
                    text == "{}" ? ProbeCount() : (try? JSONDecoder().decode(ProbeCount.self, from: Data(text.utf8))) ?? ProbeCount()
                }),
            result: .jsonValue { .object([("ok", .bool($0.ok))]) })
    }
}

extension JobKind where Payload == EmptyJSON, Result == EmptyJSON {
    /// `stamp`: records the µs it started at in `HSET <prefix>started <job id>` (the latency benchmark).
    public static var probeStamp: Self { JobKind("stamp", payload: .empty, result: .empty) }
    /// `noop`: does nothing (the peers' no-op task: the queue's own cost, compared with Celery's).
    public static var probeNoop: Self { JobKind("noop", payload: .empty, result: .empty) }
    /// `fail`: always throws a retryable `probe_failure`.
    public static var probeFail: Self { JobKind("fail", payload: .empty, result: .empty) }
}
