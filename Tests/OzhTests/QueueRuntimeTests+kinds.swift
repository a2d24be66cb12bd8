import Foundation
import Logging
import TestSupport
import Testing

@testable import OzhQueue

/// ``WorkerRuntime/register(_:policy:invalidPayload:handler:)`` and
/// ``JobQueue/enqueue(_:queue:payload:chatID:maxAttempts:id:fields:)`` over a real Redis: the
/// handler gets the decoded payload, its result is stored as the kind writes it, and a payload
/// that does not decode fails the job as a handler decoding it itself would.
@Suite("Worker runtime, typed kinds", .needsRedis)
struct QueueRuntimeKindTests {
    struct Echo: Codable, Sendable, Equatable {
        var text: String
    }

    static let echo = JobKind<Echo, Echo>("echo", queue: "rtk", result: .jsonValue { .object([("text", .string($0.text))]) })
    static let strict = JobKind<Echo, Echo>("strict")

    @Test func payloadsAndResultsGoThroughTheKind() async throws {
        let (queue, redis, p) = try makeTestQueue()
        defer { Task { await deleteKeys(redis, prefix: p) } }
        let runtime = WorkerRuntime(
            queue: queue, configuration: .init(queue: "rtk", workerID: "rtk-w", concurrency: 2),
            logger: Logger(label: "test"))
        runtime.register(Self.echo) { _, payload in Echo(text: payload.text + " / again") }
        runtime.register(Self.strict, invalidPayload: JobFailure(code: "invalid_payload", message: "no text", retryable: false)) { _, payload in
            payload
        }
        let typed = try await queue.enqueue(Self.echo, payload: Echo(text: "hi"))
        let undecodable = try await queue.enqueue(kind: Self.echo.name, queue: "rtk", payload: "not json", maxAttempts: 1)
        let refused = try await queue.enqueue(kind: Self.strict.name, queue: "rtk", payload: "{}")
        await #expect(throws: JobQueueError.self, "a kind without a queue of its own needs one") {
            try await queue.enqueue(Self.strict, payload: Echo(text: "x"))
        }
        let task = Task { try await runtime.run() }
        let settled = await eventually(.seconds(10)) {
            for id in [typed, undecodable, refused] where try await queue.job(id: id)?.status.isFinal != true { return false }
            return true
        }
        runtime.stop()
        _ = try? await task.value
        #expect(settled)

        let done = try #require(try await queue.job(id: typed))
        #expect(done.queue == "rtk" && done.payload == #"{"text":"hi"}"# && done.status == .succeeded)
        #expect(done.result == #"{"text":"hi / again"}"#, "written by the kind's JSONValue coding, `/` unescaped")
        #expect(try Self.echo.decode(result: done.result ?? "") == Echo(text: "hi / again"))
        let broken = try #require(try await queue.job(id: undecodable))
        #expect(broken.status == .failed && broken.error?.code == "internal_error", "the decoder's error, as before")
        let strict = try #require(try await queue.job(id: refused))
        #expect(strict.status == .failed && strict.error == JobError(code: "invalid_payload", message: "no text"))
    }
}
