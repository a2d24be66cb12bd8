import Foundation
import Logging
import OzhDomain
import OzhHTTP
import OzhSupport
import Synchronization

/// Sends `{"type":"notification","event","object"}` to the webhook URL from background tasks;
/// anything but HTTP 200 is tried again after each of the redelivery pauses. Keeps a log.
final class YooKassaWebhooks: Sendable {
    /// One try to deliver one notification.
    struct Attempt: Sendable {
        var delivery: Int
        var copy: Int
        var event: String
        var paymentId: String
        var url: String
        var attempt: Int
        var status: Int?
        var error: String?
        var at: Date

        var json: JSONValue {
            .object([
                ("delivery", .int(Int64(delivery))), ("copy", .int(Int64(copy))), ("event", .string(event)),
                ("payment_id", .string(paymentId)), ("url", .string(url)), ("attempt", .int(Int64(attempt))),
                ("status", .int(status.map(Int64.init))), ("error", .string(error)),
                ("at", .string(YooKassaPayment.timestamp(at))),
            ])
        }
    }

    private struct Book {
        var log: [Attempt] = []
        var sent = 0
        var delivered = 0
        var failed = 0
        var dropped = 0
        var abandoned = 0
        var nextDelivery = 1
        var tasks: [Int: Task<Void, Never>] = [:]
    }

    private let client = HTTPClient(configuration: .init(connectTimeout: .seconds(5), totalTimeout: .seconds(10), userAgent: "YooKassa-sandbox"))
    private let book = Mutex(Book())
    private let logger: Logger
    /// The pauses between tries, in milliseconds.
    let redeliveryMs: [Int]

    init(redeliveryMs: [Int], logger: Logger) {
        self.redeliveryMs = redeliveryMs
        self.logger = logger
    }

    /// Queues `event` about `object` (a payment or a refund) to `url`, `copies` times (or counts it dropped).
    func enqueue<Object: Codable & Sendable & Equatable>(
        event: String, object: Object, paymentId: String, url: String,
        copies: Int, drop: Bool
    ) {
        let body = Data(SandboxJSON.value(YooKassaAPI.Notification(event: event, object: object)).serialized.utf8)
        for copy in 1...max(1, copies) {
            book.withLock { book in
                if drop {
                    book.dropped += 1
                    return
                }
                let delivery = book.nextDelivery
                book.nextDelivery += 1
                let attempt = Attempt(delivery: delivery, copy: copy, event: event, paymentId: paymentId, url: url, attempt: 0, at: Date())
                book.tasks[delivery] = Task { [self] in
                    await deliver(attempt, body: body)
                    _ = self.book.withLock { $0.tasks.removeValue(forKey: delivery) }
                }
            }
        }
    }

    private func deliver(_ first: Attempt, body: Data) async {
        for try_ in 0...redeliveryMs.count {
            if try_ > 0 {
                do { try await Task.sleep(for: .milliseconds(redeliveryMs[try_ - 1])) } catch { return }
            }
            var attempt = first
            attempt.attempt = try_ + 1
            attempt.at = Date()
            do {
                let request = HTTPRequest(method: "POST", url: first.url, headers: [("Content-Type", "application/json")], body: body)
                attempt.status = try await client.execute(request).status
            } catch is CancellationError {
                return
            } catch {
                attempt.error = "\(error)"
            }
            let ok = attempt.status == 200
            book.withLock { book in
                book.sent += 1
                if ok { book.delivered += 1 } else { book.failed += 1 }
                if !ok && try_ == redeliveryMs.count { book.abandoned += 1 }
                book.log.append(attempt)
                if book.log.count > 10_000 { book.log.removeFirst(book.log.count - 10_000) }
            }
            logger.debug(
                "yookassa webhook",
                metadata: [
                    "event": "\(first.event)", "payment": "\(first.paymentId)", "attempt": "\(attempt.attempt)",
                    "status": "\(attempt.status.map(String.init) ?? attempt.error ?? "-")",
                ])
            if ok || Task.isCancelled { return }
        }
    }

    /// `{sent, delivered, failed, dropped, abandoned, in_flight}`: `sent` counts HTTP tries.
    var countsJSON: JSONValue {
        book.withLock { book in
            .object([
                ("sent", .int(Int64(book.sent))), ("delivered", .int(Int64(book.delivered))), ("failed", .int(Int64(book.failed))),
                ("dropped", .int(Int64(book.dropped))), ("abandoned", .int(Int64(book.abandoned))),
                ("in_flight", .int(Int64(book.tasks.count))),
            ])
        }
    }

    /// Every try, oldest first.
    var logJSON: JSONValue { .array(book.withLock { $0.log }.map(\.json)) }

    /// Stops pending deliveries and forgets the log and counters.
    func reset() {
        let tasks = book.withLock { book in
            let tasks = Array(book.tasks.values)
            let next = book.nextDelivery
            book = Book()
            book.nextDelivery = next // ids stay unique, so a stopping task never removes a new one
            return tasks
        }
        tasks.forEach { $0.cancel() }
    }
}
