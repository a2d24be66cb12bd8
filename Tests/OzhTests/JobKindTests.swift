import Foundation
import Testing

@testable import OzhDomain
@testable import OzhQueue

/// Every declared kind writes its payload and result as the exact JSON the code wrote before
/// the kinds were typed (the job record's format, and what `GET /jobs/{id}` shows), and reads it back.
@Suite("Job kinds")
struct JobKindTests {
    /// The JSON object of `text`, for the kinds written by `JSONEncoder()` (its key order varies).
    private func object(_ text: String) -> NSDictionary? {
        (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? NSDictionary
    }

    @Test func namesAndQueuesAreTheWireOnes() {
        #expect(JobKind.generation.name == "generation" && JobKind.generation.queue == "generation")
        #expect(JobKind.createPayment.name == "create_payment" && JobKind.createPayment.queue == "payment")
        #expect(JobKind.confirmPayment.name == "confirm_payment" && JobKind.confirmPayment.queue == "payment")
        #expect(JobKind.confirmRefund.name == "confirm_refund" && JobKind.confirmRefund.queue == "payment")
        #expect(JobKind.callback.name == "callback" && JobKind.callback.queue == "callback")
        #expect(
            [JobKind.probeCount.name, JobKind.probeStamp.name, JobKind.probeNoop.name, JobKind.probeFail.name]
                == ["count", "stamp", "noop", "fail"])
        #expect(JobKind.probeCount.queue == nil && JobKind.probeNoop.queue == nil)
    }

    @Test func generationIsWhatJSONEncoderWrites() throws {
        let payload = GenerationPayload(chatID: 7, inputImageID: "65f0c0ffee", inputMimeType: "image/png", mainImages: 2, bonusImages: 1)
        let text = try JobKind.generation.encode(payload: payload)
        #expect(object(text) == object(String(decoding: try JSONEncoder().encode(payload), as: UTF8.self)))
        #expect(
            object(text)
                == object(
                    #"{"chat_id":7,"input_image_id":"65f0c0ffee","input_mime_type":"image/png","main_images":2,"bonus_images":1}"#))
        #expect(try JobKind.generation.decode(payload: text) == payload)
        #expect(payload.drawing == .gridFS("65f0c0ffee"))
        // A drawing kept in the job's record: no `input_image_id` at all.
        let inRecord = GenerationPayload(chatID: 7, inputImageID: nil, inputMimeType: "image/png", mainImages: 2, bonusImages: 1)
        let inRecordText = try JobKind.generation.encode(payload: inRecord)
        #expect(object(inRecordText) == object(#"{"chat_id":7,"input_mime_type":"image/png","main_images":2,"bonus_images":1}"#))
        #expect(try JobKind.generation.decode(payload: inRecordText).drawing == .inRecord)
        let wire = #"{"main_image_ids":["a1","a2"],"bonus_image_ids":["b1"],"ozhivashki_spent":1,"new_balance":41}"#
        let result = GenerationResult(mainImageIDs: ["a1", "a2"], bonusImageIDs: ["b1"], ozhivashkiSpent: 1, newBalance: 41)
        #expect(try JobKind.generation.decode(result: wire) == result)
        #expect(object(try JobKind.generation.encode(result: result)) == object(wire))
    }

    @Test func paymentKindsWriteTheirFieldsInOrder() throws {
        let order = PaymentService.Order(chatID: 5, item: "pack_10", quantity: 2, ozhivashki: 10, amountKopecks: 19_800)
        let orderText = try JobKind.createPayment.encode(payload: order)
        #expect(object(orderText) == object(#"{"chat_id":5,"item":"pack_10","quantity":2,"ozhivashki":10,"amount_kopecks":19800}"#))
        #expect(try JobKind.createPayment.decode(payload: orderText) == order)
        // Results and confirmations were JSONValue trees: their keys in this order, `/` not escaped.
        let created = CreatedPayment(paymentURL: "https://yoomoney.ru/checkout/payments/v2/contract?orderId=2e", paymentID: "2e-0f")
        let createdText = #"{"payment_url":"https://yoomoney.ru/checkout/payments/v2/contract?orderId=2e","payment_id":"2e-0f"}"#
        #expect(try JobKind.createPayment.encode(result: created) == createdText)
        #expect(try JobKind.createPayment.decode(result: createdText) == created)

        let confirmations = [
            (PaymentConfirmation(paymentID: "2e-0f", source: "webhook"), #"{"payment_id":"2e-0f","source":"webhook"}"#),
            (PaymentConfirmation(paymentID: "2e-0f", source: "reconcile"), #"{"payment_id":"2e-0f","source":"reconcile"}"#),
        ]
        for (payload, text) in confirmations {
            #expect(try JobKind.confirmPayment.encode(payload: payload) == text)
            #expect(try JobKind.confirmPayment.decode(payload: text) == payload)
        }
        let checks = [
            (PaymentCheck(paymentID: "p1", status: "succeeded", creditedNow: true), #"{"payment_id":"p1","status":"succeeded","credited_now":true}"#),
            (PaymentCheck(paymentID: "p1", status: "not_found"), #"{"payment_id":"p1","status":"not_found"}"#),
        ]
        for (result, text) in checks {
            #expect(try JobKind.confirmPayment.encode(result: result) == text)
            #expect(try JobKind.confirmPayment.decode(result: text) == result)
        }

        #expect(try JobKind.confirmRefund.encode(payload: RefundConfirmation(refundID: "r-1")) == #"{"refund_id":"r-1"}"#)
        #expect(try JobKind.confirmRefund.decode(payload: #"{"refund_id":"r-1"}"#) == RefundConfirmation(refundID: "r-1"))
        let refunds = [
            (RefundCheck(refundID: "r-1", status: "pending"), #"{"refund_id":"r-1","status":"pending"}"#),
            (
                RefundCheck(refundID: "r-1", status: "succeeded", takenBack: 7, unrecovered: 3),
                #"{"refund_id":"r-1","status":"succeeded","taken_back":7,"unrecovered":3}"#
            ),
        ]
        for (result, text) in refunds {
            #expect(try JobKind.confirmRefund.encode(result: result) == text)
            #expect(try JobKind.confirmRefund.decode(result: text) == result)
        }
    }

    @Test func callbackAndProbeKinds() throws {
        let delivery = CallbackDelivery(jobID: "j1", event: "succeeded", url: "https://example.com/hook")
        let text = try JobKind.callback.encode(payload: delivery)
        #expect(object(text) == object(#"{"job_id":"j1","event":"succeeded","url":"https:\/\/example.com\/hook"}"#))
        #expect(try JobKind.callback.decode(payload: text) == delivery)
        #expect(try JobKind.callback.encode(result: CallbackOutcome(status: 204, attempts: 2)) == #"{"status":204,"attempts":2}"#)

        #expect(try JobKind.probeCount.encode(payload: ProbeCount()) == "{}")
        #expect(try JobKind.probeCount.encode(payload: ProbeCount(sleepMS: 3000)) == #"{"sleep_ms":3000}"#)
        #expect(try JobKind.probeCount.decode(payload: #"{"sleep_ms":0}"#) == ProbeCount(sleepMS: 0))
        #expect(try JobKind.probeCount.decode(payload: "not json") == ProbeCount(), "read as no sleep, as the probe always did")
        #expect(try JobKind.probeCount.encode(result: ProbeOK()) == #"{"ok":true}"#)
        #expect(try JobKind.probeNoop.encode(payload: EmptyJSON()) == "{}" && JobKind.probeNoop.encode(result: EmptyJSON()) == "{}")
        #expect(try JobKind.probeStamp.decode(payload: "anything") == EmptyJSON())
    }

    @Test func aPayloadThatDoesNotParseIsACodedError() throws {
        let error = #expect(throws: JobCodingError.self) { try JobKind.generation.decode(payload: "{}") }
        #expect(error?.code == "job_payload_undecodable" && error?.kind == "generation")
        #expect(error?.underlying is DecodingError, "the decoder's own error, which the runtime rethrows to keep the job's error as before")
    }

    @Test func aJobIsOfAKindByName() throws {
        let job = try Job(fields: ["id": "j1", "kind": "generation", "queue": "generation", "status": "queued", "created_at": "1"])
        #expect(job.is(.generation) && !job.is(.createPayment) && !job.is(.probeCount))
    }
}
