import Foundation
import TestSupport
import Testing

@testable import APIGateway
@testable import OzhDomain
@testable import OzhMongo
@testable import OzhRedis

/// Exactly once over time and through stalls: what the clean-kill fault suite could not see.
/// Records expire or vanish (DEL, FLUSHALL), processes stall instead of dying (SIGSTOP past
/// the dead-after time, then SIGCONT), a write is lost between the user update and its ledger
/// entry. Every case ends with the money invariants read from MongoDB and `ozh-admin audit`.
@Suite("Stalls and time", .serialized, .needsServers)
struct StallSuiteTests {
    @Test func aSucceededJobWhoseRedisRecordIsGoneIsNeverRefunded() async throws {
        try await StallStack.run(workers: 1) { stall in
            let jobs = try await stall.submit(users: 1, from: 7001)
            let (chat, job) = jobs[0]
            try await stall.waitUntil("the job succeeds", within: .seconds(30)) { try await stall.status(job) == .succeeded }
            #expect(try await stall.balance(chat) == 0)
            // Day 3 comes: the job's Redis record expires.
            _ = try await stall.services.redis.send("DEL", "\(stall.services.settings.redis.prefix)job:\(job)")
            // Many sweeps (every 300 ms, grace 1.5 s) go by.
            try await Task.sleep(for: .seconds(3))
            #expect(try await stall.balance(chat) == 0, "a delivered generation stays paid for")
            #expect(try await stall.settlements(job) == ["generation_charge", "generation_success"])
            try await stall.expectMoneyIsRight()
        }
    }

    @Test func redisLosingEverythingMidRunRefundsWhatWasInFlightAndNothingThatSucceeded() async throws {
        try await StallStack.run(workers: 1, latencyMS: 150) { stall in
            let jobs = try await stall.submit(users: 6, from: 7101)
            try await stall.waitUntil("two jobs succeed", within: .seconds(60)) {
                var done = 0
                for (_, job) in jobs where try await stall.status(job) == .succeeded { done += 1 }
                return done >= 2
            }
            var succeeded: Set<String> = []
            for (_, job) in jobs where try await stall.status(job) == .succeeded { succeeded.insert(job) }
            _ = try await stall.services.redis.send("FLUSHALL")
            try await stall.waitUntilAllSettled(within: .seconds(30))
            for (chat, job) in jobs {
                let kinds = try await stall.settlements(job)
                if succeeded.contains(job) {
                    #expect(kinds == ["generation_charge", "generation_success"], "\(job) succeeded before the flush: \(kinds)")
                    #expect(try await stall.balance(chat) == 0)
                } else {
                    #expect(kinds.count == 2 && kinds[0] == "generation_charge", "\(job): one settlement, got \(kinds)")
                    #expect(try await stall.balance(chat) == (kinds.contains("generation_refund") ? 1 : 0))
                }
            }
            try await stall.expectMoneyIsRight()
        }
    }

    @Test func aWorkerStalledPastTheDeadAfterTimeIsFencedAndNothingIsPaidTwice() async throws {
        // 8 first generations × 6 images (2 main + 2 first-time bonus... see GenerationPayload) over two workers.
        try await StallStack.run(workers: 2, latencyMS: 250, settings: ["MAIN_IMAGES": "4"]) { stall in
            let jobs = try await stall.submit(users: 8, from: 7201)
            let images = jobs.count * 6
            try await stall.waitUntil("both workers are generating", within: .seconds(30)) { try await stall.geminiCalls() >= 6 }
            let stalled = stall.stack.workers[0]
            kill(stalled.processIdentifier, SIGSTOP)
            try await Task.sleep(for: StallStack.deadAfter * 3)
            kill(stalled.processIdentifier, SIGCONT)
            try await stall.waitUntilAllSettled(within: .seconds(60))
            for (chat, job) in jobs {
                try await stall.waitUntil("\(job) succeeds", within: .seconds(30)) { try await stall.status(job) == .succeeded }
                #expect(try await stall.settlements(job) == ["generation_charge", "generation_success"])
                #expect(try await stall.balance(chat) == 0, "charged once")
            }
            // The stalled worker had at most WORKER_CONCURRENCY (2) calls in flight when it stopped.
            let calls = try await stall.geminiCalls()
            #expect(calls >= images)
            #expect(calls <= images + 2, "Gemini calls beyond the images delivered: \(calls - images)")
            #expect(stall.workerLogs().contains("taken over by another worker"), "the stalled worker noticed it lost its jobs")
            try await stall.expectMoneyIsRight()
        }
    }

    @Test func redisStalledPastTheDeadAfterTimeRerunsNoJobOfALiveWorker() async throws {
        try await StallStack.run(workers: 2, latencyMS: 300, settings: ["MAIN_IMAGES": "4"]) { stall in
            let jobs = try await stall.submit(users: 4, from: 7301)
            let images = jobs.count * 6
            try await stall.waitUntil("both workers are generating", within: .seconds(30)) { try await stall.geminiCalls() >= 4 }
            // Redis stalls; worker B, cut off as long as everyone, is slower to come back (a
            // reconnect backoff): it heart-beats 0.5 s after Redis is back, well within a dead-after.
            let late = stall.stack.workers[1]
            kill(late.processIdentifier, SIGSTOP)
            stall.servers.signalRedis(SIGSTOP)
            try await Task.sleep(for: StallStack.deadAfter * 3)
            stall.servers.signalRedis(SIGCONT)
            try await Task.sleep(for: .milliseconds(500))
            kill(late.processIdentifier, SIGCONT)
            try await stall.waitUntilAllSettled(within: .seconds(90))
            for (chat, job) in jobs {
                try await stall.waitUntil("\(job) succeeds", within: .seconds(30)) { try await stall.status(job) == .succeeded }
                #expect(try await stall.balance(chat) == 0)
            }
            #expect(!stall.workerLogs().contains("recovered jobs of dead workers"), "a live worker's jobs were recovered")
            #expect(try await stall.geminiCalls() == images, "every image was generated once")
            try await stall.expectMoneyIsRight()
        }
    }

    @Test func aChargeWhoseLedgerEntryWasLostIsRepairedAndRefunded() async throws {
        try await StallStack.run(workers: 1) { stall in
            let created = try await stall.client.call(.post, "/users", json: #"{"chat_id": 7401}"#)
            #expect(created.status == 201)
            // The gateway "dies" between the user update and the ledger insert, with SecantusDB
            // stalled at exactly that moment; the client never retries.
            let servers = stall.servers
            Ledger.setFaultHook { operation in
                guard operation.hasPrefix("generation_charge:") else { return }
                servers.signalMongo(SIGSTOP)
                try await Task.sleep(for: .seconds(1))
                servers.signalMongo(SIGCONT)
                throw TestSetupError("the gateway died between the user update and the ledger insert")
            }
            defer { Ledger.setFaultHook(nil) }
            let (status, _) = try await stall.client.generate(chatID: "7401", image: StallStack.drawing)
            Ledger.setFaultHook(nil)
            #expect(status >= 500)
            try await stall.waitUntilAllSettled(within: .seconds(30))
            let refunds = try await stall.services.mongo.collection("ledger").find(["chat_id": 7401, "reason": "refund"], as: LedgerEntry.self)
            #expect(refunds.count == 1)
            let job = try #require(refunds.first?.ref)
            #expect(try await stall.settlements(job) == ["generation_charge", "generation_refund"], "the lost charge entry was written")
            #expect(try await stall.balance(7401) == 1, "the ozhivashka came back")
            try await stall.expectMoneyIsRight()
        }
    }

    @Test func aGeminiCallThatNeverConnectedGivesItsQuotaBack() async throws {
        let closed = try freeLoopbackPort() // nobody listens: connection refused
        try await StallStack.run(workers: 1, settings: ["GEMINI_BASE_URL": "http://127.0.0.1:\(closed)"]) { stall in
            let settings = stall.services.settings
            let quota = try QuotaLimiter(
                redis: stall.services.redis, keyring: try GeminiKeyring(entries: settings.gemini.keys),
                limits: settings.gemini.quotaLimits, prefix: settings.redis.prefix)
            let before = try await quota.status()
            #expect(before.allSatisfy { $0.callsToday == 0 && $0.callsInWindow == 0 })
            let jobs = try await stall.submit(users: 1, from: 7501)
            try await stall.waitUntil("an attempt fails to connect", within: .seconds(30)) {
                try await stall.services.queue.job(id: jobs[0].job)?.error?.code == "http_connect_failed"
            }
            let after = try await quota.status()
            #expect(after.map(\.callsToday) == before.map(\.callsToday), "the day's count is unchanged: \(after)")
            #expect(after.map(\.callsInWindow) == before.map(\.callsInWindow), "the window is unchanged: \(after)")
        }
    }

    @Test func aLastAttemptHandedBackAtShutdownResumesAndSucceeds() async throws {
        try await StallStack.run(workers: 0, latencyMS: 3000, workerExtra: ["WORKER_SHUTDOWN_DEADLINE_MS": "300"]) { stall in
            let jobs = try await stall.submit(users: 1, from: 7601)
            let (chat, job) = jobs[0]
            // Its last attempt: one allowed.
            _ = try await stall.services.redis.send("HSET", "\(stall.services.settings.redis.prefix)job:\(job)", "max_attempts", "1")
            let worker = try await stall.startWorker()
            try await stall.waitUntil("the attempt runs", within: .seconds(30)) { try await stall.status(job) == .processing }
            try await Task.sleep(for: .milliseconds(300))
            kill(worker.processIdentifier, SIGTERM)
            #expect(await Executables.waitForExit(worker, within: .seconds(20)) == 0)
            let handedBack = try await stall.services.queue.job(id: job)
            #expect(handedBack?.status == .queued, "handed back: \(String(describing: handedBack)) \(stall.workerLogs())")
            let kinds = try await stall.settlements(job)
            #expect(kinds == ["generation_charge"], "neither settled nor refunded: \(kinds)")
            try await stall.stack.sandboxCall("POST", "/_sandbox/gemini/faults", json: #"{"latency_ms": 0}"#)
            try await stall.startWorker()
            try await stall.waitUntil("the job succeeds", within: .seconds(30)) { try await stall.status(job) == .succeeded }
            #expect(try await stall.settlements(job) == ["generation_charge", "generation_success"])
            #expect(try await stall.balance(chat) == 0)
            try await stall.expectMoneyIsRight()
        }
    }

    @Test func aGenerationPostponedPastMaxPostponeHoursFailsAndIsRefunded() async throws {
        try await StallStack.run(workers: 0, settings: ["GEMINI_RPD": "2"], workerExtra: ["MAX_POSTPONE_HOURS": "1"]) { stall in
            let jobs = try await stall.submit(users: 1, from: 7701)
            let (chat, job) = jobs[0]
            // The day's quota is spent after acceptance, and the job was accepted 2 h ago.
            let settings = stall.services.settings
            let quota = try QuotaLimiter(
                redis: stall.services.redis, keyring: try GeminiKeyring(entries: settings.gemini.keys),
                limits: settings.gemini.quotaLimits, prefix: settings.redis.prefix)
            for _ in 0..<4 {
                guard case .granted = try await quota.acquire(model: settings.gemini.model) else { throw TestSetupError("no slot to spend") }
            }
            let twoHoursAgo = Int64((Date().timeIntervalSince1970 - 7200) * 1000)
            _ = try await stall.services.redis.send("HSET", "\(settings.redis.prefix)job:\(job)", "created_at", String(twoHoursAgo))
            try await stall.startWorker()
            try await stall.waitUntil("the job fails", within: .seconds(30)) { try await stall.status(job) == .failed }
            #expect(try await stall.services.queue.job(id: job)?.error?.code == "postponed_too_long")
            #expect(try await stall.settlements(job) == ["generation_charge", "generation_refund"])
            #expect(try await stall.balance(chat) == 1)
            #expect(try await stall.geminiCalls() == 0)
            try await stall.expectMoneyIsRight()
        }
    }
}
