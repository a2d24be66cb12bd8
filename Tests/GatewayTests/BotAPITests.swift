import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import TestSupport
import Testing

@testable import APIGateway
@testable import OzhImages

/// What bot developers get (README "For bot developers"): an ETA for waiting generations, and
/// the original synchronous answers with `Prefer: wait=N` or `GENERATE_SYNC_WAIT_S`. Real
/// gateway, workers and sandbox.
@Suite("Bot developers: ETA and drop-in", .serialized, .needsServers)
struct BotAPITests {
    static let drawing = try! MagickImage.makeImage(width: 320, height: 240, format: .png, color: "#33aa66")
    static let order = #"{"item_name": "Пакет '10 Оживашек'", "quantity": 1, "price": 100.00}"#

    /// `POST /generate` for a new user `chat`, with `prefer` as the `Prefer` field; status, headers, body and seconds taken.
    static func generate(_ client: some TestClientProtocol, chat: Int, prefer: String? = nil) async throws
        -> (status: Int, headers: HTTPFields, body: [String: Any], seconds: Double)
    {
        #expect(try await client.call(.post, "/users", json: #"{"chat_id": \#(chat)}"#).status == 201)
        var form = MultipartBody()
        form.field("chat_id", "\(chat)")
        form.file("image", drawing)
        var headers = GatewayHarness.headers(json: false)
        headers[.contentType] = form.contentType
        if let prefer { headers[Preferences.prefer] = prefer }
        let started = ContinuousClock.now
        return try await client.execute(uri: "/generate", method: .post, headers: headers, body: ByteBuffer(data: form.data)) { response in
            let object = (try? JSONSerialization.jsonObject(with: Data(response.body.readableBytesView))) as? [String: Any] ?? [:]
            return (Int(response.status.code), response.headers, object, (ContinuousClock.now - started) / .seconds(1))
        }
    }

    @Test func preferWaitAnswersTheSeedsBodyWithPreferenceAppliedAndUnknownPreferencesAreIgnored() async throws {
        try await GenerationStack.run(workers: 1) { client, _, _ in
            let done = try await Self.generate(client, chat: 501, prefer: "respond-async, wait=30, handling=lenient")
            #expect(done.status == 200, "\(done.body)")
            #expect(done.headers[Preferences.applied] == "wait=30")
            #expect(Set(done.body.keys) == ["main_images", "bonus_images", "ozhivashki_spent", "new_balance", "job_id"])
            #expect((done.body["main_images"] as? [String])?.count == 4)
            let ignored = try await Self.generate(client, chat: 502, prefer: "wait=soon, foo=bar")
            #expect(ignored.status == 202, "a preference the gateway cannot read is ignored: \(ignored.body)")
            #expect(ignored.headers[Preferences.applied] == nil)
        }
    }

    @Test func generateSyncWaitAnswers200AndAShorterPreferOrRespondAsyncGets202() async throws {
        // 4 images of 1.2 s each: a job takes about 5 s.
        try await GenerationStack.run(
            workers: 1, sandbox: ["SANDBOX_GEMINI_LATENCY_MS": "1200"],
            settings: ["GENERATE_SYNC_WAIT_S": "30"]
        ) { client, _, _ in
            let sync = try await Self.generate(client, chat: 511)
            #expect(sync.status == 200, "\(sync.body)")
            #expect(sync.headers[Preferences.applied] == nil, "no preference was sent")
            #expect((sync.body["main_images"] as? [String])?.count == 4)

            let ranOut = try await Self.generate(client, chat: 512, prefer: "wait=1")
            #expect(ranOut.status == 202, "\(ranOut.body)")
            #expect(ranOut.headers[Preferences.applied] == "wait=1")
            #expect(ranOut.seconds >= 0.9 && ranOut.seconds < 4, "waited its second: \(ranOut.seconds)")
            #expect(ranOut.body["status_url"] as? String == "/jobs/\(ranOut.body["job_id"] as? String ?? "")")

            let async = try await Self.generate(client, chat: 513, prefer: "respond-async")
            #expect(async.status == 202 && async.seconds < 1, "\(async.seconds) s")
            #expect(async.headers[Preferences.applied] == "respond-async")
        }
    }

    @Test func overTheLongPollCapsAPreferWaitAnswersThe202AtOnceWithoutPreferenceApplied() async throws {
        try await GenerationStack.run(workers: 1, sandbox: ["SANDBOX_GEMINI_LATENCY_MS": "1500"], settings: ["MAX_LONG_POLLS": "0"]) { client, _, _ in
            let answer = try await Self.generate(client, chat: 541, prefer: "wait=30")
            #expect(answer.status == 202 && answer.seconds < 2, "\(answer.status) after \(answer.seconds) s")
            #expect(answer.headers[Preferences.applied] == nil, "the wait was not applied")
        }
    }

    @Test func createPaymentWithPreferWaitAnswersTheSeedsPaymentBody() async throws {
        try await GenerationStack.runPayments { client, _, _ in
            #expect(try await client.call(.post, "/users", json: #"{"chat_id": 521}"#).status == 201)
            var headers = HTTPFields()
            headers[Preferences.prefer] = "wait=20"
            let (status, body) = try await client.call(.post, "/users/521/create_payment", json: Self.order, headers: headers)
            #expect(status == 200, "\(body)")
            #expect(Set(body.keys) == ["payment_url", "payment_id"], "the seed's shape exactly")
            let queued = try await client.call(.post, "/users/521/create_payment", json: Self.order)
            #expect(queued.status == 202 && queued.body["job_id"] is String, "without a wait: the 202 as before")
        }
    }

    @Test func aBacklogUnderATinyQuotaCarriesAPlausibleETAThatShrinksAsItDrains() async throws {
        // One project, 4 calls per 1.5 s window (+0.1 s margin); 6 jobs × 4 images (2 main + 2 first-time bonus) = 24 calls ≈ 9 s.
        let quota = [
            "GEMINI_API_KEYS_STR": "solo:key-solo-1111", "GEMINI_RPM": "4", "GEMINI_WINDOW_MS": "1500",
            "GEMINI_WINDOW_MARGIN_MS": "100", "MAIN_IMAGES": "2",
        ]
        try await GenerationStack.run(workers: 1, sandbox: ["SANDBOX_GEMINI_KEYS": "solo:key-solo-1111"], settings: quota) { client, _, _ in
            var ids: [String] = []
            for chat in 531..<537 {
                let answer = try await Self.generate(client, chat: chat)
                #expect(answer.status == 202, "\(answer.body)")
                ids.append(try #require(answer.body["job_id"] as? String))
            }
            // An idle worker takes a job at once and postpones it when the quota is spent: the
            // backlog is mostly `retrying`, and every waiting job carries an estimate.
            var jobs: [(id: String, eta: Int)] = []
            for id in ids {
                let (_, job) = try await client.call(.get, "/jobs/\(id)")
                guard ["queued", "retrying"].contains(job["status"] as? String) else { continue }
                let eta = try #require(job["eta_seconds"] as? Int, "a waiting job has an ETA: \(job)")
                #expect(job["eta_at"] is String)
                #expect((0...60).contains(eta), "plausible: \(eta) s")
                jobs.append((id, eta))
            }
            let last = try #require(jobs.last, "the backlog waits")
            // Polled while it waits, the last job's estimate comes down.
            var seen: [Int] = []
            let deadline = ContinuousClock.now + .seconds(60)
            while ContinuousClock.now < deadline {
                let (_, job) = try await client.call(.get, "/jobs/\(last.id)")
                guard ["queued", "retrying"].contains(job["status"] as? String) else {
                    #expect(job["eta_seconds"] == nil && job["eta_at"] == nil, "a job that runs has no ETA")
                    break
                }
                if let eta = job["eta_seconds"] as? Int { seen.append(eta) }
                try await Task.sleep(for: .milliseconds(500))
            }
            // The first estimates assume MAIN_IMAGES per job until the workers measured the bonuses too.
            let peak = max(last.eta, seen.max() ?? 0)
            #expect(peak >= 3 && (seen.last ?? peak) < peak, "the ETA comes down as the backlog drains: \(last.eta) then \(seen)")
            for job in jobs {
                let (_, final) = try await client.call(.get, "/jobs/\(job.id)?wait=60")
                #expect(final["status"] as? String == "succeeded")
                #expect(final["eta_seconds"] == nil)
            }
        }
    }
}
