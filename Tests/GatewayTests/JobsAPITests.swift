import Foundation
import TestSupport
import Testing

@testable import APIGateway
@testable import OzhQueue

@Suite("Jobs API and long-poll", .needsServers)
struct JobsAPITests {
    @Test func statusOfQueuedSucceededAndFailedJobs() async throws {
        try await GatewayHarness.withGateway { client, services in
            let queue = services.queue
            let first = try await queue.enqueue(.probeCount, queue: "generation", payload: ProbeCount(), chatID: 77)
            let second = try await queue.enqueue(.probeCount, queue: "generation", payload: ProbeCount(), chatID: 77)
            let (status, body) = try await client.call(.get, "/jobs/\(second)")
            #expect(status == 200)
            #expect(body["job_id"] as? String == second)
            #expect(body["kind"] as? String == "count")
            #expect(body["status"] as? String == "queued")
            #expect(body["attempts"] as? Int == 0)
            #expect(body["queue_position"] as? Int == 1, "one job is ahead of it")
            #expect(body["started_at"] is NSNull)
            #expect(body["result"] == nil)

            let job = try #require(try await queue.reserve(queue: "generation", worker: "w1", timeout: .seconds(1)))
            #expect(job.id == first)
            #expect(try await queue.complete(job, worker: "w1", result: #"{"answer":42}"#))
            let (_, done) = try await client.call(.get, "/jobs/\(first)")
            #expect(done["status"] as? String == "succeeded")
            #expect((done["result"] as? [String: Any])?["answer"] as? Int == 42)
            #expect(done["finished_at"] is String)

            let other = try #require(try await queue.reserve(queue: "generation", worker: "w1", timeout: .seconds(1)))
            _ = try await queue.fail(
                other, worker: "w1", error: JobError(code: "safety_block", message: "blocked"),
                retryable: false, backoff: .zero)
            let (_, failed) = try await client.call(.get, "/jobs/\(second)")
            #expect(failed["status"] as? String == "failed")
            #expect((failed["error"] as? [String: Any])?["code"] as? String == "safety_block")
        }
    }

    @Test func badIDsAndWaits() async throws {
        try await GatewayHarness.withGateway { client, _ in
            let (missing, missingBody) = try await client.call(.get, "/jobs/0f8e0000-0000-4000-8000-000000000000")
            #expect(missing == 404)
            #expect(errorCode(missingBody) == "job_not_found")
            #expect(try await client.call(.get, "/jobs/\(String(repeating: "a", count: 65))").status == 400)
            #expect(try await client.call(.get, "/jobs/a%20b").status == 400)
            for wait in ["0", "-1", "61", "abc", "nan", "inf"] {
                let (status, body) = try await client.call(.get, "/jobs/abc?wait=\(wait)")
                #expect(status == 400, "wait=\(wait)")
                #expect(errorCode(body) == "invalid_wait")
            }
            #expect(try await client.call(.get, "/jobs/abc", key: nil).status == 401)
        }
    }

    @Test func longPollWakesPromptlyWhenTheJobEnds() async throws {
        try await GatewayHarness.withGateway { client, services in
            let queue = services.queue
            var latencies: [Duration] = []
            for _ in 0..<5 {
                let id = try await queue.enqueue(.probeCount, queue: "generation", payload: ProbeCount())
                let job = try #require(try await queue.reserve(queue: "generation", worker: "w", timeout: .seconds(1)))
                #expect(job.id == id)
                let finished = Task {
                    try await Task.sleep(for: .milliseconds(300))
                    let at = ContinuousClock.now
                    _ = try await queue.complete(job, worker: "w", result: "{}")
                    return at
                }
                let started = ContinuousClock.now
                let (status, body) = try await client.call(.get, "/jobs/\(id)?wait=20")
                let answered = ContinuousClock.now
                let completedAt = try await finished.value
                #expect(status == 200)
                #expect(body["status"] as? String == "succeeded")
                #expect(answered - started < .seconds(10), "answered on the event, not at the end of the wait")
                latencies.append(answered - completedAt)
            }
            latencies.sort()
            // The median wake-up (job completed → response received) is well under 50 ms.
            #expect(latencies[2] < .milliseconds(50), "latencies: \(latencies)")
            #expect(services.events.interestCount == 0)
        }
    }

    @Test func waitReturnsTheCurrentStateWhenTimeRunsOut() async throws {
        try await GatewayHarness.withGateway { client, services in
            let id = try await services.queue.enqueue(.probeCount, queue: "generation", payload: ProbeCount())
            let started = ContinuousClock.now
            let (status, body) = try await client.call(.get, "/jobs/\(id)?wait=0.3")
            #expect(status == 200)
            #expect(body["status"] as? String == "queued")
            #expect(ContinuousClock.now - started >= .milliseconds(300))
        }
    }

    @Test func fiveHundredConcurrentWaiters() async throws {
        try await GatewayHarness.withGateway { client, services in
            let queue = services.queue
            var created: [String] = []
            for _ in 0..<50 { created.append(try await queue.enqueue(.probeCount, queue: "generation", payload: ProbeCount())) }
            let ids = created
            let results = try await withThrowingTaskGroup(of: String?.self) { group in
                for index in 0..<500 {
                    let id = ids[index % ids.count]
                    group.addTask { try await client.call(.get, "/jobs/\(id)?wait=30").body["status"] as? String }
                }
                group.addTask {
                    // Let the waiters gather, then finish every job.
                    try await Task.sleep(for: .milliseconds(1500))
                    for _ in 0..<ids.count {
                        if let job = try await queue.reserve(queue: "generation", worker: "w", timeout: .seconds(1)) {
                            _ = try await queue.complete(job, worker: "w", result: "{}")
                        }
                    }
                    return nil
                }
                return try await group.reduce(into: [String?]()) { $0.append($1) }
            }
            let statuses = results.compactMap { $0 }
            #expect(statuses.count == 500)
            #expect(statuses.allSatisfy { $0 == "succeeded" })
            #expect(services.events.interestCount == 0)
        }
    }
}
