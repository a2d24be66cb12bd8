import Foundation
import HummingbirdTesting
import Testing

@testable import APIGateway
@testable import OzhDomain
@testable import OzhMongo
@testable import OzhRedis

/// Helpers the payment suites share: balances, purchases, notifications, the ledger, jobs.
enum PaymentTestSupport {
    static let order = #"{"item_name": "Пакет '10 Оживашек'", "quantity": 1, "price": 100.00}"#

    /// A notification as YooKassa would send it (the webhook trusts only its event and id).
    static func notification(_ event: String, id: String, paymentID: String? = nil) -> String {
        let extra = paymentID.map { #","payment_id":"\#($0)""# } ?? ""
        return
            #"{"type":"notification","event":"\#(event)","object":{"id":"\#(id)"\#(extra),"status":"succeeded","paid":true,"amount":{"value":"100.00","currency":"RUB"}}}"#
    }

    /// `ozh-admin audit` finds no money problem in the test's database, and lists exactly
    /// `unknownAtProvider` payments as unknown at the provider.
    static func expectAuditClean(
        _ services: GatewayServices, unknownAtProvider: Int = 0,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        let audit = try await runAudit(mongoURI: services.settings.mongo.uri, database: services.settings.mongo.database)
        #expect(audit.status == 0, "ozh-admin audit:\n\(audit.output)", sourceLocation: sourceLocation)
        let notices = audit.output.split(separator: "\n").filter { $0.hasPrefix("notice unknown_at_provider") }.count
        #expect(notices == unknownAtProvider, "ozh-admin audit:\n\(audit.output)", sourceLocation: sourceLocation)
    }

    static func balance(_ client: some TestClientProtocol, _ chat: Int) async throws -> Int? {
        try await client.call(.get, "/users/\(chat)").body["ozhivashki"] as? Int
    }

    /// Polls (bounded) until the user's balance is `expected`; returns the last one read.
    static func waitForBalance(_ client: some TestClientProtocol, _ chat: Int, _ expected: Int, within limit: Duration = .seconds(20)) async throws
        -> Int?
    {
        let deadline = ContinuousClock.now + limit
        var current = try await balance(client, chat)
        while current != expected, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(50))
            current = try await balance(client, chat)
        }
        return current
    }

    /// Creates the user (if new) and a paid-for-nothing payment of one 10-pack; returns its id.
    static func createPayment(_ client: some TestClientProtocol, _ chat: Int) async throws -> String {
        _ = try await client.call(.post, "/users", json: #"{"chat_id": \#(chat)}"#)
        let (status, body) = try await client.call(.post, "/users/\(chat)/create_payment?wait=20", json: order)
        #expect(status == 200, "\(body)")
        return try #require(body["payment_id"] as? String)
    }

    static func ledgerEntries(_ services: GatewayServices, _ chat: Int) async throws -> [LedgerEntry] {
        try await services.users.ledger.entries(chatID: Int64(chat), limit: 500)
    }

    static func ledgerSum(_ services: GatewayServices, _ chat: Int) async throws -> Int64 {
        try await ledgerEntries(services, chat).map(\.delta).reduce(0, +)
    }

    static func paymentRecord(_ services: GatewayServices, _ id: String) async throws -> BSONDocument? {
        try await services.mongo.collection("payments").findOne(["_id": .string(id)])
    }

    /// The unfinished (not succeeded or failed) jobs whose id starts with `prefix`, read in one
    /// script (an atomic snapshot): `[(id, status, payment_id)]`.
    static func unfinishedJobs(_ services: GatewayServices, idPrefix prefix: String) async throws -> [(
        id: String, status: String, paymentID: String?
    )] {
        let script = """
            local out = {}
            for _, key in ipairs(redis.call('KEYS', ARGV[1])) do
              local fields = redis.call('HMGET', key, 'status', 'payload')
              if fields[1] ~= 'succeeded' and fields[1] ~= 'failed' then
                table.insert(out, key); table.insert(out, fields[1] or ''); table.insert(out, fields[2] or '')
              end
            end
            return out
            """
        let keyPrefix = "\(services.settings.redis.prefix)job:"
        let reply = try await services.redis.send("EVAL", script, "0", keyPrefix + prefix + "*").array ?? []
        var jobs: [(id: String, status: String, paymentID: String?)] = []
        var index = 0
        while index + 2 < reply.count {
            let payload = (try? JSONSerialization.jsonObject(with: Data((reply[index + 2].string ?? "").utf8))) as? [String: Any]
            jobs.append(
                (
                    String((reply[index].string ?? "").dropFirst(keyPrefix.count)), reply[index + 1].string ?? "",
                    payload?["payment_id"] as? String
                ))
            index += 3
        }
        return jobs
    }

    /// How many jobs (finished or not) have an id starting with `prefix`.
    static func jobCount(_ services: GatewayServices, idPrefix prefix: String) async throws -> Int {
        let script = "return #redis.call('KEYS', ARGV[1])"
        return Int(try await services.redis.send("EVAL", script, "0", "\(services.settings.redis.prefix)job:\(prefix)*").int ?? -1)
    }
}
