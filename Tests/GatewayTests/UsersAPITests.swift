import Foundation
import NIOCore
import TestSupport
import Testing

@testable import APIGateway
@testable import OzhMongo
@testable import OzhSupport

/// The seed's `/users` contract, over real HTTP against Redis and SecantusDB.
@Suite("Users API", .needsServers)
struct UsersAPITests {
    static let seedFields: Set<String> = [
        "chat_id", "username", "ozhivashki", "generation_count", "last_generation_time", "registered_at",
        "referral_code", "referred_by", "referral_bonus_claimed", "first_generation_time", "daily_bonus_claimed_today",
        "daily_bonus_streak", "discount_offered", "last_activity_time", "advertising_source", "yookassa_payments",
    ]
    static let timestampPattern = #"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}$"#

    @Test func seedCreateAndReadFlow() async throws {
        try await GatewayHarness.withGateway { client, _ in
            let seedBody =
                #"{"chat_id": 123456789, "username": "newuser", "referral_code": "ref_987654321", "advertising_source": "src_ads_campaign_01"}"#
            let (status, user) = try await client.call(.post, "/users", json: seedBody)
            #expect(status == 201)
            #expect(Set(user.keys) == Self.seedFields)
            #expect(user["chat_id"] as? Int == 123456789)
            #expect(user["username"] as? String == "newuser")
            #expect(user["ozhivashki"] as? Int == 1)
            #expect(user["generation_count"] as? Int == 0)
            #expect(user["last_generation_time"] is NSNull)
            #expect(user["first_generation_time"] is NSNull)
            #expect(user["referral_code"] as? String == "ref_123456789")
            #expect(user["referred_by"] is NSNull, "ref_987654321 is not a user, so no referrer")
            #expect(user["referral_bonus_claimed"] as? Bool == false)
            #expect(user["daily_bonus_claimed_today"] as? Bool == false)
            #expect(user["daily_bonus_streak"] as? Int == 0)
            #expect(user["discount_offered"] as? Bool == false)
            #expect(user["advertising_source"] as? String == "src_ads_campaign_01")
            #expect((user["yookassa_payments"] as? [String: Any])?.isEmpty == true)
            for field in ["registered_at", "last_activity_time"] {
                let text = try #require(user[field] as? String)
                #expect(text.range(of: Self.timestampPattern, options: .regularExpression) != nil, "\(field) = \(text)")
            }

            let (readStatus, read) = try await client.call(.get, "/users/123456789")
            #expect(readStatus == 200)
            #expect(Set(read.keys) == Self.seedFields)
            #expect(read["ozhivashki"] as? Int == 1)
            #expect(read["registered_at"] as? String == user["registered_at"] as? String)

            let (again, conflict) = try await client.call(.post, "/users", json: seedBody)
            #expect(again == 409)
            #expect(errorCode(conflict) == "user_exists")
        }
    }

    @Test func fieldsComeInTheSeedsOrder() async throws {
        try await GatewayHarness.withGateway { client, _ in
            let text = try await client.execute(
                uri: "/users", method: .post, headers: GatewayHarness.headers(),
                body: ByteBuffer(string: #"{"chat_id": 55}"#)
            ) { String(buffer: $0.body) }
            let order = [
                "chat_id", "username", "ozhivashki", "generation_count", "last_generation_time", "registered_at",
                "referral_code", "referred_by", "referral_bonus_claimed", "first_generation_time",
                "daily_bonus_claimed_today", "daily_bonus_streak", "discount_offered", "last_activity_time",
                "advertising_source", "yookassa_payments",
            ]
            let positions = order.map { text.range(of: "\"\($0)\":")?.lowerBound }
            #expect(positions.allSatisfy { $0 != nil }, "\(text)")
            #expect(positions.compactMap { $0 } == positions.compactMap { $0 }.sorted(), "\(text)")
        }
    }

    @Test func referralCodesOfExistingUsersOnly() async throws {
        try await GatewayHarness.withGateway { client, _ in
            #expect(try await client.call(.post, "/users", json: #"{"chat_id": 987654321}"#).status == 201)
            let (_, referred) = try await client.call(.post, "/users", json: #"{"chat_id": 5, "referral_code": "ref_987654321"}"#)
            #expect(referred["referred_by"] as? Int == 987654321)
            let (_, own) = try await client.call(.post, "/users", json: #"{"chat_id": 6, "referral_code": "ref_6"}"#)
            #expect(own["referred_by"] is NSNull)
            let (_, garbage) = try await client.call(.post, "/users", json: #"{"chat_id": 7, "referral_code": "hello"}"#)
            #expect(garbage["referred_by"] is NSNull)
            #expect(garbage["username"] is NSNull)
        }
    }

    @Test func unknownAndMalformedChatIDs() async throws {
        try await GatewayHarness.withGateway { client, _ in
            let (status, body) = try await client.call(.get, "/users/424242")
            #expect(status == 404)
            #expect(errorCode(body) == "user_not_found")
            for bad in ["abc", "0", "-5", "99999999999999999999", "1.5", "%20"] {
                let (badStatus, badBody) = try await client.call(.get, "/users/\(bad)")
                #expect(badStatus == 400, "chat_id \(bad)")
                #expect(errorCode(badBody) == "invalid_chat_id")
            }
        }
    }

    @Test func apiKeyIsRequiredAndRotatable() async throws {
        try await GatewayHarness.withGateway { client, _ in
            let (missing, missingBody) = try await client.call(.get, "/users/1", key: nil)
            #expect(missing == 401)
            #expect(errorCode(missingBody) == "unauthorized")
            #expect(try await client.call(.get, "/users/1", key: "wrong-key-wrong-key").status == 401)
            #expect(try await client.call(.get, "/users/1", key: GatewayHarness.apiKey + "x").status == 401)
            #expect(try await client.call(.get, "/users/1", key: GatewayHarness.secondKey).status == 404)
            #expect(try await client.call(.get, "/health", key: nil).status == 200)
            #expect(try await client.call(.get, "/ready", key: nil).status == 200)
            let (unknown, unknownBody) = try await client.call(.get, "/nothing-here")
            #expect(unknown == 404)
            #expect(errorCode(unknownBody) == "not_found")
        }
    }

    @Test func badBodiesGetFieldNamedErrorsAndWriteNothing() async throws {
        try await GatewayHarness.withGateway { client, services in
            let cases: [(String, Int, String, String)] = [
                ("{not json", 400, "invalid_body", "JSON"),
                (#"[1,2]"#, 400, "invalid_body", ""),
                (#"{"username": "x"}"#, 400, "invalid_body", "chat_id"),
                (#"{"chat_id": "123"}"#, 400, "invalid_body", "chat_id"),
                (#"{"chat_id": 1.5}"#, 400, "invalid_body", "chat_id"),
                (#"{"chat_id": 0}"#, 400, "invalid_chat_id", "chat_id"),
                (#"{"chat_id": -42}"#, 400, "invalid_chat_id", "chat_id"),
                (#"{"chat_id": 99999999999999999999999}"#, 400, "invalid_body", "chat_id"),
                (#"{"chat_id": null}"#, 400, "invalid_body", "chat_id"),
                (#"{"chat_id": 77, "username": 5}"#, 400, "invalid_body", "username"),
                ("{\"chat_id\": 77, \"username\": \"\(String(repeating: "я", count: 5000))\"}", 400, "invalid_field", "username"),
                (#"{"chat_id": 77, "advertising_source": "a\u0000b"}"#, 400, "invalid_field", "advertising_source"),
                ("{\"chat_id\": 77, \"username\": \"\(String(repeating: "x", count: 70_000))\"}", 413, "body_too_large", ""),
                ("", 400, "invalid_body", "empty"),
            ]
            for (body, status, code, mention) in cases {
                let (got, answer) = try await client.call(.post, "/users", json: body)
                #expect(got == status, "\(body.prefix(60))")
                #expect(errorCode(answer) == code, "\(body.prefix(60))")
                if !mention.isEmpty {
                    #expect(errorMessage(answer).contains(mention), "\(errorMessage(answer)) should mention \(mention)")
                }
            }
            #expect(try await services.mongo.collection("users").countDocuments() == 0)
            #expect(try await services.mongo.collection("ledger").countDocuments() == 0)
        }
    }

    @Test func patchChangesOnlyEditableFields() async throws {
        try await GatewayHarness.withGateway { client, _ in
            #expect(try await client.call(.post, "/users", json: #"{"chat_id": 11, "username": "old"}"#).status == 201)
            let (status, user) = try await client.call(.patch, "/users/11", json: #"{"username": "new", "discount_offered": true}"#)
            #expect(status == 200)
            #expect(user["username"] as? String == "new")
            #expect(user["discount_offered"] as? Bool == true)
            let (cleared, clearedUser) = try await client.call(.patch, "/users/11", json: #"{"advertising_source": null}"#)
            #expect(cleared == 200)
            #expect(clearedUser["advertising_source"] is NSNull)
            let (forbidden, forbiddenBody) = try await client.call(.patch, "/users/11", json: #"{"ozhivashki": 1000}"#)
            #expect(forbidden == 400)
            #expect(errorCode(forbiddenBody) == "field_not_editable")
            #expect(errorMessage(forbiddenBody).contains("ozhivashki"))
            let (wrongType, wrongBody) = try await client.call(.patch, "/users/11", json: #"{"discount_offered": "yes"}"#)
            #expect(wrongType == 400)
            #expect(errorMessage(wrongBody).contains("discount_offered"))
            #expect(try await client.call(.patch, "/users/11", json: "{}").status == 400)
            #expect(try await client.call(.patch, "/users/999", json: #"{"username": "x"}"#).status == 404)
            let (_, after) = try await client.call(.get, "/users/11")
            #expect(after["ozhivashki"] as? Int == 1)
            #expect(after["username"] as? String == "new")
        }
    }

    @Test func readsWithinTheActivityResolutionWriteNothing() async throws {
        try await GatewayHarness.withGateway { client, services in
            let (_, created) = try await client.call(.post, "/users", json: #"{"chat_id": 13}"#)
            try await Task.sleep(for: .milliseconds(20))
            for _ in 0..<3 {
                let (_, read) = try await client.call(.get, "/users/13")
                #expect(
                    read["last_activity_time"] as? String == created["last_activity_time"] as? String,
                    "a read within ACTIVITY_RESOLUTION_S (60) leaves last_activity_time alone")
            }
            // Once the stored time is older than the resolution, the next read moves it, once.
            let stale = Date.nowMillis.addingTimeInterval(-61)
            _ = try await services.mongo.collection("users").updateOne(["_id": 13], ["$set": ["last_activity_time": .date(stale)]])
            await services.users.cache.invalidate(13) // as every writer of a user does
            let (_, moved) = try await client.call(.get, "/users/13")
            let (_, again) = try await client.call(.get, "/users/13")
            let movedTime = try #require(moved["last_activity_time"] as? String)
            #expect(movedTime > Timestamp.format(stale))
            #expect(again["last_activity_time"] as? String == movedTime)
        }
    }

    @Test func everyCallTouchesLastActivityAtResolutionZero() async throws {
        try await GatewayHarness.withGateway(["ACTIVITY_RESOLUTION_S": "0"]) { client, _ in
            let (_, created) = try await client.call(.post, "/users", json: #"{"chat_id": 12}"#)
            try await Task.sleep(for: .milliseconds(20))
            let (_, read) = try await client.call(.get, "/users/12")
            let before = try #require(created["last_activity_time"] as? String)
            let after = try #require(read["last_activity_time"] as? String)
            #expect(after > before)
            #expect(read["registered_at"] as? String == created["registered_at"] as? String)
        }
    }
}
