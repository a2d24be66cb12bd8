import Foundation
import Testing

@testable import OzhDomain
@testable import OzhSupport

/// Issue 14: YooKassa's bodies as the Codable types the client, the webhook route and the
/// sandbox share. Request bodies must be the bytes the `JSONValue` builders wrote before
/// (an Idempotence-Key resent with other bytes may be refused), the same on every encode;
/// answers are read leniently.
@Suite("YooKassa API bodies")
struct YooKassaAPITests {
    static let receipt = YooKassaAPI.Receipt(
        email: "parent@example.ru",
        items: [
            YooKassaAPI.ReceiptItem(
                description: "Пакет '10 Оживашек'", quantity: "2.00", amount: .init(kopecks: 9_950), vatCode: 1)
        ])

    /// A create request as the payment worker makes it.
    static func createRequest(receipt: YooKassaAPI.Receipt?) -> YooKassaAPI.PaymentCreateRequest {
        YooKassaAPI.PaymentCreateRequest(
            amount: .init(kopecks: 19_900), confirmation: .init(returnURL: "https://t.me/OzhTestBot"),
            description: "Пакет '10 Оживашек' × 2",
            metadata: ["chat_id": "42", "job_id": "0193f0c2-7d4e", "item": "Пакет '10 Оживашек'", "quantity": "2"], receipt: receipt)
    }

    /// The body the payment worker built with `JSONValue` before issue 14.
    static func previousCreateBody(receiptEmail: String?) -> String {
        var body: [(String, JSONValue)] = [
            ("amount", .object([("value", .string("199.00")), ("currency", .string("RUB"))])),
            ("capture", .bool(true)),
            ("confirmation", .object([("type", .string("redirect")), ("return_url", .string("https://t.me/OzhTestBot"))])),
            ("description", .string("Пакет '10 Оживашек' × 2")),
            (
                "metadata",
                .object([
                    ("chat_id", .string("42")), ("job_id", .string("0193f0c2-7d4e")),
                    ("item", .string("Пакет '10 Оживашек'")), ("quantity", .string("2")),
                ])
            ),
        ]
        if let receiptEmail {
            body.append(
                (
                    "receipt",
                    .object([
                        ("customer", .object([("email", .string(receiptEmail))])),
                        (
                            "items",
                            .array([
                                .object([
                                    ("description", .string("Пакет '10 Оживашек'")), ("quantity", .string("2.00")),
                                    ("amount", .object([("value", .string("99.50")), ("currency", .string("RUB"))])),
                                    ("vat_code", .int(1)), ("payment_subject", .string("service")), ("payment_mode", .string("full_payment")),
                                ])
                            ])
                        ),
                    ])
                ))
        }
        return JSONValue.object(body).serialized
    }

    static func text(_ data: Data) -> String { String(decoding: data, as: UTF8.self) }

    @Test func theCreateBodyIsTheBytesWrittenBefore() throws {
        let plain = try Self.text(YooKassaAPI.body(Self.createRequest(receipt: nil)))
        #expect(plain == Self.previousCreateBody(receiptEmail: nil))
        #expect(
            plain == #"{"amount":{"value":"199.00","currency":"RUB"},"capture":true,"confirmation":{"type":"redirect","#
                + #""return_url":"https://t.me/OzhTestBot"},"description":"Пакет '10 Оживашек' × 2","metadata":{"chat_id":"42","#
                + #""job_id":"0193f0c2-7d4e","item":"Пакет '10 Оживашек'","quantity":"2"}}"#)
        let withReceipt = try Self.text(YooKassaAPI.body(Self.createRequest(receipt: Self.receipt)))
        #expect(withReceipt == Self.previousCreateBody(receiptEmail: "parent@example.ru"))
        #expect(
            withReceipt.hasSuffix(
                #""receipt":{"customer":{"email":"parent@example.ru"},"items":[{"description":"Пакет '10 Оживашек'","#
                    + #""quantity":"2.00","amount":{"value":"99.50","currency":"RUB"},"vat_code":1,"payment_subject":"service","#
                    + #""payment_mode":"full_payment"}]}}"#))
    }

    @Test func twoEncodesOfOneRequestAreByteIdentical() throws {
        let request = Self.createRequest(receipt: Self.receipt)
        let first = try YooKassaAPI.body(request)
        for _ in 0..<20 { #expect(try YooKassaAPI.body(request) == first) }
        // Read back (as the sandbox reads it), it is the same request; metadata keys come back sorted.
        var decoded = try JSONDecoder().decode(YooKassaAPI.PaymentCreateRequest.self, from: first)
        #expect(decoded.metadata?.fields.map(\.key) == ["chat_id", "item", "job_id", "quantity"])
        #expect(decoded.metadata?.dictionary == request.metadata?.dictionary)
        decoded.metadata = request.metadata
        #expect(decoded == request)
        #expect(try YooKassaAPI.body(decoded) == first)
        let refund = YooKassaAPI.RefundCreateRequest(paymentID: "2d9977c5-000f-5000-8000-1a3b41f8f216", amount: .init(value: "50.00"))
        #expect(try YooKassaAPI.body(refund) == YooKassaAPI.body(refund))
    }

    @Test func theRefundBodyIsTheBytesWrittenBefore() throws {
        let request = YooKassaAPI.RefundCreateRequest(paymentID: "2d9977c5-000f-5000-8000-1a3b41f8f216", amount: .init(value: "50.00"))
        let previous = JSONValue.object([
            ("payment_id", .string("2d9977c5-000f-5000-8000-1a3b41f8f216")),
            ("amount", .object([("value", .string("50.00")), ("currency", .string("RUB"))])),
        ]).serialized
        #expect(try Self.text(YooKassaAPI.body(request)) == previous)
        #expect(previous == #"{"payment_id":"2d9977c5-000f-5000-8000-1a3b41f8f216","amount":{"value":"50.00","currency":"RUB"}}"#)
    }

    /// A pending payment as the sandbox answers it, with a field this code does not know.
    static let pendingAnswer = #"""
        {"id":"2d9977c5-000f-5000-8000-1a3b41f8f216","status":"pending","paid":false,"amount":{"value":"199.00","currency":"RUB"},
         "confirmation":{"type":"redirect","confirmation_url":"http://127.0.0.1:8090/_sandbox/yookassa/checkout/2d9977c5-000f-5000-8000-1a3b41f8f216",
         "return_url":"https://t.me/OzhTestBot"},"created_at":"2026-11-26T12:00:00.000Z","description":"Пакет '10 Оживашек' × 2",
         "metadata":{"chat_id":"42","item":"Пакет '10 Оживашек'","job_id":"0193f0c2-7d4e","quantity":"2"},
         "recipient":{"account_id":"123456","gateway_id":"1000001"},"refundable":false,"test":true,
         "merchant_customer_id":{"unknown":["to", "this", "code"]}}
        """#

    @Test func aPaymentAnswerIsRead() throws {
        let payment = try JSONDecoder().decode(YooKassaAPI.Payment.self, from: Data(Self.pendingAnswer.utf8))
        #expect(payment.id == "2d9977c5-000f-5000-8000-1a3b41f8f216" && payment.status == "pending" && !payment.paid)
        #expect(payment.amount == .init(value: "199.00", currency: "RUB"))
        #expect(payment.confirmation?.confirmationURL?.hasSuffix("/checkout/2d9977c5-000f-5000-8000-1a3b41f8f216") == true)
        #expect(payment.metadata["job_id"] == "0193f0c2-7d4e" && payment.metadata.count == 4)
        #expect(payment.recipient?.accountID == "123456" && payment.test == true && payment.refundable == false)
        let view = YooKassaPayment(payment)
        #expect(view.amountValue == "199.00" && view.currency == "RUB" && view.metadata["chat_id"] == "42")
        #expect(view.confirmationURL == payment.confirmation?.confirmationURL && view.cancellationReason == nil)

        let canceled =
            #"{"id":"p-1","status":"canceled","paid":false,"amount":{"value":"100.00","currency":"RUB"},"#
            + #""cancellation_details":{"party":"yoo_money","reason":"expired_on_confirmation"},"metadata":{}}"#
        #expect(
            YooKassaPayment(try JSONDecoder().decode(YooKassaAPI.Payment.self, from: Data(canceled.utf8))).cancellationReason
                == "expired_on_confirmation")
    }

    @Test func paymentAnswersAreReadLeniently() throws {
        func read(_ text: String) -> YooKassaAPI.Payment? { try? JSONDecoder().decode(YooKassaAPI.Payment.self, from: Data(text.utf8)) }
        // Odd optional fields read as nil / false / empty; a missing currency as RUB; numbers in metadata as text.
        let odd = try #require(
            read(
                #"{"id":"p-2","status":"succeeded","paid":"yes","amount":{"value":"5.00"},"confirmation":7,"#
                    + #""metadata":{"n":5,"x":null,"s":"t"},"cancellation_details":[]}"#))
        #expect(!odd.paid && odd.amount.currency == "RUB" && odd.confirmation == nil && odd.cancellationDetails == nil)
        #expect(odd.metadata == ["n": "5", "s": "t"])
        // What a reader cannot do without makes the answer unreadable.
        #expect(read(#"{"status":"pending","amount":{"value":"1.00","currency":"RUB"}}"#) == nil)
        #expect(read(#"{"id":"p","status":"pending","amount":{"value":1.0,"currency":"RUB"}}"#) == nil)
        #expect(read(#"{"id":"p","status":"pending"}"#) == nil)
        #expect(read("not json") == nil)
        // The JSONSerialization-object initializer tests use reads through the same type.
        #expect(YooKassaPayment(json: ["id": "p-3", "status": "pending", "amount": ["value": "1.00"] as [String: Any]])?.currency == "RUB")
    }

    @Test func aRefundAnswerIsRead() throws {
        let answer =
            #"{"id":"216749f7-0016-50be-b000-078d43a63ae4","payment_id":"2d9977c5-000f-5000-8000-1a3b41f8f216","#
            + #""status":"succeeded","created_at":"2026-11-26T12:05:00.000Z","amount":{"value":"50.00","currency":"RUB"},"#
            + #""description":"test refund","receipt_registration":"succeeded"}"#
        let refund = try JSONDecoder().decode(YooKassaAPI.Refund.self, from: Data(answer.utf8))
        #expect(refund.paymentID == "2d9977c5-000f-5000-8000-1a3b41f8f216" && refund.status == "succeeded")
        let view = YooKassaRefund(refund)
        #expect(view.id == "216749f7-0016-50be-b000-078d43a63ae4" && view.amountValue == "50.00" && view.currency == "RUB")
        // Written back in the sandbox's order, without the field the type does not hold.
        #expect(try Self.text(YooKassaAPI.body(refund)) == answer.replacingOccurrences(of: #","receipt_registration":"succeeded""#, with: ""))
        let noPayment = #"{"id":"r","status":"succeeded","amount":{"value":"1.00"}}"#
        #expect((try? JSONDecoder().decode(YooKassaAPI.Refund.self, from: Data(noPayment.utf8))) == nil, "payment_id is required")
    }

    @Test func notificationsAreReadAndWritten() throws {
        let payment = try JSONDecoder().decode(YooKassaAPI.Payment.self, from: Data(Self.pendingAnswer.utf8))
        let sent = YooKassaAPI.Notification(event: "payment.succeeded", object: payment)
        let body = try YooKassaAPI.body(sent)
        #expect(Self.text(body).hasPrefix(#"{"type":"notification","event":"payment.succeeded","object":{"id":"2d9977c5-"#))
        typealias Received = YooKassaAPI.Notification<YooKassaAPI.NotificationSubject>
        let received = try JSONDecoder().decode(Received.self, from: body)
        #expect(received.type == "notification" && received.event == "payment.succeeded")
        #expect(received.object == .init(id: "2d9977c5-000f-5000-8000-1a3b41f8f216", paymentID: nil))
        let refund = #"{"type":"notification","event":"refund.succeeded","object":{"id":"r-1","payment_id":"p-1","status":"succeeded"}}"#
        #expect(try JSONDecoder().decode(Received.self, from: Data(refund.utf8)).object == .init(id: "r-1", paymentID: "p-1"))
        let oddPayment = #"{"type":"notification","event":"refund.succeeded","object":{"id":"r-1","payment_id":12}}"#
        #expect(try JSONDecoder().decode(Received.self, from: Data(oddPayment.utf8)).object.paymentID == nil)
        #expect((try? JSONDecoder().decode(Received.self, from: Data(#"{"type":"notification","event":"x","object":{"id":1}}"#.utf8))) == nil)
    }

    @Test func errorBodiesAreReadAndWritten() throws {
        let error = YooKassaAPI.ErrorBody(
            id: "8d2c8a3e", code: "invalid_request", description: "Idempotence key duplicated",
            parameter: "Idempotence-Key")
        #expect(
            try Self.text(YooKassaAPI.body(error))
                == #"{"type":"error","id":"8d2c8a3e","code":"invalid_request","description":"Idempotence key duplicated","#
                + #""parameter":"Idempotence-Key"}"#)
        let none = YooKassaAPI.ErrorBody(id: "1", code: "invalid_credentials", description: "Authentication by given credentials failed")
        #expect(try Self.text(YooKassaAPI.body(none)).hasSuffix(#","parameter":null}"#))
        let answer = #"{"type":"error","id":"x","code":"not_found","description":"gone","parameter":null,"more":1}"#
        let read = YooKassaAPI.ErrorBody.read(Data(answer.utf8))
        #expect(read.code == "not_found" && read.description == "gone" && read.parameter == nil)
        #expect(YooKassaAPI.ErrorBody.read(Data("<html>".utf8)).code == nil)
        #expect(YooKassaAPI.ErrorBody.read(Data(#"{"code":429}"#.utf8)).code == nil)
    }

    @Test func createRequestsAreDecodedStrictly() throws {
        func path(_ text: String) -> String? {
            do {
                _ = try JSONDecoder().decode(YooKassaAPI.PaymentCreateRequest.self, from: Data(text.utf8))
                return nil
            } catch let error as DecodingError {
                switch error {
                case .keyNotFound(let key, let context): return (context.codingPath + [key]).map(\.stringValue).joined(separator: ".")
                case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
                    return context.codingPath.map(\.stringValue).joined(separator: ".")
                @unknown default: return "?"
                }
            } catch {
                return "?"
            }
        }
        let confirmation = #""confirmation":{"type":"redirect","return_url":"https://x"}"#
        #expect(path(#"{"amount":{"value":"1.00","currency":"RUB"},\#(confirmation)}"#) == nil)
        #expect(path(#"{"amount":{"value":100.00,"currency":"RUB"},\#(confirmation)}"#) == "amount.value")
        #expect(path(#"{"amount":{"value":"1.00"},\#(confirmation)}"#) == "amount.currency")
        #expect(path(#"{\#(confirmation)}"#) == "amount")
        #expect(path(#"{"amount":{"value":"1.00","currency":"RUB"},"capture":null,\#(confirmation)}"#) == "capture")
        #expect(path(#"{"amount":{"value":"1.00","currency":"RUB"},"confirmation":"redirect"}"#) == "confirmation")
        #expect(path(#"{"amount":{"value":"1.00","currency":"RUB"},\#(confirmation),"metadata":[1]}"#) == "metadata")
        #expect(path(#"{"amount":{"value":"1.00","currency":"RUB"},\#(confirmation),"receipt":"r"}"#) == "receipt")
        #expect(path(#"{"amount":{"value":"1.00","currency":"RUB"},\#(confirmation),"description":null,"receipt":{"odd":true}}"#) == nil)
    }
}
