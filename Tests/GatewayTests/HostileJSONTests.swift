import Foundation
import HTTPTypes
import TestSupport
import Testing

@testable import APIGateway
@testable import OzhHTTP

/// Hostile JSON bodies and names on every JSON route: each gets the status and code
/// openapi.yaml documents, creates, charges and queues nothing, and the gateway keeps answering.
@Suite("Hostile JSON", .needsServers)
struct HostileJSONTests {
    static let chatID = 601
    static let payment = "/users/\(chatID)/create_payment"

    static func json(
        _ label: String, _ uri: String, _ body: Data, method: HTTPTypes.HTTPRequest.Method = .post, type: String? = "application/json",
        key: String? = GatewayHarness.apiKey, _ status: Int, _ code: String
    ) -> HostileCase {
        var headers = GatewayHarness.headers(key: key, json: false)
        if let type { headers[.contentType] = type }
        return HostileCase(label: label, method: method, uri: uri, headers: headers, body: body, status: status, code: code)
    }

    static func json(
        _ label: String, _ uri: String, _ text: String, method: HTTPTypes.HTTPRequest.Method = .post,
        _ status: Int, _ code: String
    ) -> HostileCase {
        json(label, uri, Data(text.utf8), method: method, status, code)
    }

    /// The same hostile shapes against registration, the bot's edits and payments.
    static func corpus() -> [HostileCase] {
        let deep = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        let deeper = String(repeating: "[", count: 200_000)
        let order = #""item_name": "Пакет '10 Оживашек'", "quantity": 1"#
        var cases: [HostileCase] = [
            // Structure.
            json("nesting 10000 deep", "/users", #"{"chat_id": 602, "username": \#(deep)}"#, 400, "invalid_body"),
            json("nesting 200000 deep (over the size limit)", "/users", #"{"chat_id": 602, "username": \#(deeper)"#, 413, "body_too_large"),
            json(
                "a 10 MB body", "/users", #"{"chat_id": 602, "username": ""# + String(repeating: "a", count: 10_000_000) + #""}"#,
                413, "body_too_large"),
            json("an array", "/users", "[602]", 400, "invalid_body"),
            json("a bare string", "/users", #""602""#, 400, "invalid_body"),
            json("null", "/users", "null", 400, "invalid_body"),
            json("two documents", "/users", #"{"chat_id": 602} {"chat_id": 603}"#, 400, "invalid_body"),
            // Numbers.
            json("chat_id 1e400", "/users", #"{"chat_id": 1e400}"#, 400, "invalid_body"),
            json("chat_id 2^64", "/users", #"{"chat_id": 18446744073709551616}"#, 400, "invalid_body"),
            json("chat_id -2^63", "/users", #"{"chat_id": -9223372036854775808}"#, 400, "invalid_chat_id"),
            json("chat_id 1.5", "/users", #"{"chat_id": 1.5}"#, 400, "invalid_body"),
            json("quantity 1e30", payment, #"{\#(order.replacingOccurrences(of: ": 1", with: ": 1e30")), "price": 100}"#, 400, "invalid_body"),
            json("quantity -1", payment, #"{\#(order.replacingOccurrences(of: ": 1", with: ": -1")), "price": -100}"#, 400, "invalid_quantity"),
            json("price 1e400", payment, #"{\#(order), "price": 1e400}"#, 400, "invalid_body"),
            json("price \"99999999999999999\"", payment, #"{\#(order), "price": "99999999999999999"}"#, 400, "price_mismatch"),
            json("price 99999999999999999", payment, #"{\#(order), "price": 99999999999999999}"#, 400, "price_mismatch"),
            json("price -100", payment, #"{\#(order), "price": -100}"#, 400, "price_mismatch"),
            json("price 100.001", payment, #"{\#(order), "price": 100.001}"#, 400, "price_mismatch"),
            // Types.
            json("chat_id as a string", "/users", #"{"chat_id": "602"}"#, 400, "invalid_body"),
            json("chat_id true", "/users", #"{"chat_id": true}"#, 400, "invalid_body"),
            json("username an object", "/users", #"{"chat_id": 602, "username": {"$ne": null}}"#, 400, "invalid_body"),
            json("item_name a number", payment, #"{"item_name": 10, "quantity": 1, "price": 100}"#, 400, "invalid_body"),
            json("quantity a string", payment, #"{"item_name": "Пакет '10 Оживашек'", "quantity": "1", "price": 100}"#, 400, "invalid_body"),
            json("price an array", payment, #"{\#(order), "price": [100]}"#, 400, "invalid_body"),
            json("discount_offered a string", "/users/\(chatID)", #"{"discount_offered": "yes"}"#, method: .patch, 400, "invalid_body"),
            json("a Mongo operator as a field", "/users/\(chatID)", #"{"$set": {"ozhivashki": 1000}}"#, method: .patch, 400, "field_not_editable"),
            json("ozhivashki as a field", "/users/\(chatID)", #"{"ozhivashki": 1000}"#, method: .patch, 400, "field_not_editable"),
            // Duplicate keys: readers disagree on which one wins.
            json("chat_id twice", "/users", #"{"chat_id": 602, "chat_id": 603}"#, 400, "invalid_body"),
            json("chat_id twice, once escaped", "/users", #"{"chat_id": 602, "chat\u005fid": 603}"#, 400, "invalid_body"),
            json("quantity twice", payment, #"{\#(order), "quantity": 100, "price": 100}"#, 400, "invalid_body"),
            json(
                "discount_offered twice", "/users/\(chatID)", #"{"discount_offered": true, "discount_offered": false}"#,
                method: .patch, 400, "invalid_body"),
            // Bytes.
            json(
                "invalid UTF-8", "/users", Data(#"{"chat_id": 602, "username": ""#.utf8) + Data([0xC3, 0x28, 0xFF]) + Data(#""}"#.utf8),
                400, "invalid_body"),
            json("a lone surrogate", "/users", #"{"chat_id": 602, "username": "\ud800"}"#, 400, "invalid_body"),
            json("a NUL byte after the object", "/users", Data(#"{"chat_id": 602}"#.utf8) + Data([0]), 400, "invalid_body"),
            json(
                "a raw NUL byte in a string", "/users", Data(#"{"chat_id": 602, "username": "a"#.utf8) + Data([0]) + Data(#"b"}"#.utf8),
                400, "invalid_body"),
            json("an escaped NUL in a name", "/users", #"{"chat_id": 602, "username": "a\u0000b"}"#, 400, "invalid_field"),
            json("an escaped NUL in a key", "/users", #"{"chat_id\u0000": 602}"#, 400, "invalid_body"),
            json("an escaped NUL in a patch", "/users/\(chatID)", #"{"advertising_source": "x\u0000"}"#, method: .patch, 400, "invalid_field"),
        ]
        // Content types.
        for type in ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/jsonx", ""] {
            cases.append(
                json(
                    "Content-Type \(type.debugDescription)", "/users", Data(#"{"chat_id": 602}"#.utf8), type: type,
                    415, "invalid_content_type"))
        }
        cases.append(json("no Content-Type", "/users", Data(#"{"chat_id": 602}"#.utf8), type: nil, 415, "invalid_content_type"))
        cases.append(
            json(
                "no Content-Type on a payment", payment, Data(#"{\#(order), "price": 100}"#.utf8), type: nil,
                415, "invalid_content_type"))
        return cases
    }

    @Test func hostileJSONIsRefusedAndWritesNothing() async throws {
        try await GatewayHarness.withGateway { client, services in
            #expect(try await client.call(.post, "/users", json: #"{"chat_id": \#(Self.chatID), "username": "kept"}"#).status == 201)
            let footprint = try await Footprint.of(services)
            for hostile in Self.corpus() {
                try await hostile.check(client, services, footprint: footprint)
            }
            let (_, user) = try await client.call(.get, "/users/\(Self.chatID)")
            #expect(user["username"] as? String == "kept", "no patch went through")
            #expect(user["discount_offered"] as? Bool == false)
            #expect(try await client.call(.get, "/health").status == 200, "the gateway still answers")
        }
    }

    @Test func webhookRefusesHostileNotificationsAndQueuesNothing() async throws {
        try await GatewayHarness.withGateway(["YOOKASSA_WEBHOOK_IPS": "127.0.0.1/32,::1/128"]) { client, services in
            let footprint = try await Footprint.of(services)
            let hook = "/webhooks/yookassa"
            let cases: [HostileCase] = [
                Self.json(
                    "object twice", hook, #"{"type": "notification", "event": "payment.succeeded", "object": {"id": "a1"}, "object": {"id": "b2"}}"#,
                    400, "invalid_notification"),
                Self.json(
                    "id twice", hook, #"{"type": "notification", "event": "payment.succeeded", "object": {"id": "a1", "id": "b2"}}"#,
                    400, "invalid_notification"),
                Self.json(
                    "an id with a path", hook, #"{"type": "notification", "event": "payment.succeeded", "object": {"id": "../../x"}}"#,
                    400, "invalid_notification"),
                Self.json(
                    "nesting 10000 deep", hook, "{\"type\": " + String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000) + "}",
                    400, "invalid_notification"),
                Self.json(
                    "a body over 64 KiB", hook, #"{"type": "notification", "x": ""# + String(repeating: "a", count: 70_000) + #""}"#,
                    413, "body_too_large"),
                Self.json(
                    "form-encoded", hook, Data("type=notification".utf8), type: "application/x-www-form-urlencoded", key: nil,
                    415, "invalid_content_type"),
            ]
            for hostile in cases { try await hostile.check(client, services, footprint: footprint) }
            #expect(try await client.call(.get, "/health").status == 200)
        }
    }

    /// Names: any script within 256 code points, control characters never; a single
    /// "character" stacked with combining marks counts every mark.
    @Test func namesAreAcceptedWithinTheLimitAndRefusedBeyond() async throws {
        try await GatewayHarness.withGateway { client, services in
            let accepted = ["Дима 🎨 ñ 李小龙", String(repeating: "я", count: 256), String(repeating: "👨‍👩‍👧", count: 51)]
            for (offset, name) in accepted.enumerated() {
                let body = try JSONSerialization.data(withJSONObject: ["chat_id": 700 + offset, "username": name])
                let (status, user) = try await client.call(.post, "/users", json: String(decoding: body, as: UTF8.self))
                #expect(status == 201, "\(name.prefix(10)): \(user)")
                #expect(user["username"] as? String == name, "stored exactly")
                let (_, read) = try await client.call(.get, "/users/\(700 + offset)")
                #expect(read["username"] as? String == name, "read back exactly")
            }
            let footprint = try await Footprint.of(services)
            let refused = [
                ("257 Cyrillic letters", String(repeating: "я", count: 257)),
                ("one letter with 300 combining marks", "e" + String(repeating: "\u{0301}", count: 300)),
                ("52 family emoji (260 code points)", String(repeating: "👨‍👩‍👧", count: 52)),
                ("a bell character", "ring\u{07}"),
                ("a newline", "two\nlines"),
                ("DEL", "x\u{7F}"),
            ]
            for (offset, (label, name)) in refused.enumerated() {
                let body = try JSONSerialization.data(withJSONObject: ["chat_id": 800 + offset, "username": name])
                try await Self.json("username: \(label)", "/users", body, 400, "invalid_field").check(client, services, footprint: footprint)
                let patch = try JSONSerialization.data(withJSONObject: ["username": name])
                try await Self.json("patched username: \(label)", "/users/700", patch, method: .patch, 400, "invalid_field")
                    .check(client, services, footprint: footprint)
            }
            let longReferral = try JSONSerialization.data(withJSONObject: [
                "chat_id": 900, "referral_code": "ref_" + String(repeating: "1", count: 61),
            ])
            try await Self.json("a 65-character referral_code", "/users", longReferral, 400, "invalid_field").check(
                client, services, footprint: footprint)
        }
    }
}
