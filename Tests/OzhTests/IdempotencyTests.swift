import Foundation
import TestSupport
import Testing

@testable import OzhQueue
@testable import OzhRedis

@Suite("Idempotency keys")
struct IdempotencyTests {
    @Test(.needsRedis) func sameKeySameRequestGivesTheSameJob() async throws {
        let (redis, prefix) = try TestServers.redis()
        let store = IdempotencyStore(redis: redis, prefix: prefix)
        let queue = JobQueue(redis: redis, configuration: JobQueueConfiguration(prefix: prefix))
        let print = IdempotencyStore.fingerprint([Data("POST /generate".utf8), Data("chat=1".utf8), Data([1, 2, 3])])
        guard case .new(let id) = try await store.claim(key: "retry-abc", fingerprint: print) else {
            Issue.record("a fresh key must be new"); return
        }
        try await queue.enqueue(.probeCount, queue: "generation", payload: ProbeCount(), id: id)
        #expect(try await store.claim(key: "retry-abc", fingerprint: print) == .existing(jobID: id))
        // Enqueueing the same id again (a retry after a crash between claim and enqueue) adds nothing.
        try await queue.enqueue(.probeCount, queue: "generation", payload: ProbeCount(), id: id)
        #expect(try await redis.send("LLEN", prefix + "queue:generation").int == 1)
        let ttl = try await redis.send("PTTL", prefix + "idem:retry-abc").int ?? 0
        #expect(ttl > 24 * 3600 * 1000, "kept for at least 24 hours")
    }

    @Test(.needsRedis) func sameKeyDifferentRequestIsRefused() async throws {
        let (redis, prefix) = try TestServers.redis()
        let store = IdempotencyStore(redis: redis, prefix: prefix)
        _ = try await store.claim(key: "k1", fingerprint: IdempotencyStore.fingerprint([Data("a".utf8)]))
        await #expect(throws: IdempotencyError.keyReused) {
            try await store.claim(key: "k1", fingerprint: IdempotencyStore.fingerprint([Data("b".utf8)]))
        }
        // Part boundaries count: ["ab", ""] and ["a", "b"] differ.
        #expect(IdempotencyStore.fingerprint([Data("ab".utf8), Data()]) != IdempotencyStore.fingerprint([Data("a".utf8), Data("b".utf8)]))
    }

    @Test(.needsRedis) func concurrentClaimsAgreeOnOneJob() async throws {
        let (redis, prefix) = try TestServers.redis()
        let store = IdempotencyStore(redis: redis, prefix: prefix)
        let print = IdempotencyStore.fingerprint([Data("same".utf8)])
        let claims = try await withThrowingTaskGroup(of: IdempotencyStore.Claim.self) { group in
            for _ in 0..<20 { group.addTask { try await store.claim(key: "race", fingerprint: print) } }
            return try await group.reduce(into: [IdempotencyStore.Claim]()) { $0.append($1) }
        }
        let ids = Set(
            claims.map { claim -> String in
                switch claim {
                case .new(let id), .existing(let id): return id
                }
            })
        #expect(ids.count == 1)
        #expect(claims.filter { if case .new = $0 { return true } else { return false } }.count == 1)
    }

    @Test func malformedKeysAreRefused() {
        for key in ["", String(repeating: "k", count: 129), "has space", "tab\tkey", "кириллица"] {
            #expect(throws: IdempotencyError.invalidKey) { try IdempotencyStore.validate(key) }
        }
        #expect(throws: Never.self) { try IdempotencyStore.validate("0f8e-abc_DEF.123:x") }
    }
}
