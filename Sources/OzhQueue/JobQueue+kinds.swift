import Foundation

extension JobQueue {
    /// Enqueues a job of `kind` with `payload` (written by the kind's coding) and returns its id;
    /// otherwise as ``enqueue(kind:queue:payload:chatID:maxAttempts:id:fields:)``. `queue`
    /// defaults to the kind's own; a kind without one needs it.
    @discardableResult
    public func enqueue<Payload, Result>(
        _ kind: JobKind<Payload, Result>, queue: String? = nil, payload: Payload, chatID: Int64? = nil, maxAttempts: Int = 5,
        id: String? = nil, fields: [(String, String)] = []
    ) async throws(JobQueueError) -> String {
        guard let queue = queue ?? kind.queue else { throw .invalidArgument("the \(kind.name) kind has no queue of its own: name one") }
        let text: String
        do throws(JobCodingError) {
            text = try kind.encode(payload: payload)
        } catch {
            throw .invalidArgument(error.message)
        }
        return try await enqueue(
            kind: kind.name, queue: queue, payload: text, chatID: chatID, maxAttempts: maxAttempts, id: id,
            fields: fields)
    }
}

extension NewJob {
    /// A job of `kind` with `payload` (written by the kind's coding), for ``JobQueue/enqueue(_:queue:)``.
    public init<Payload, Result>(
        _ kind: JobKind<Payload, Result>, payload: Payload, chatID: Int64? = nil, maxAttempts: Int = 5,
        id: String = UUID().uuidString.lowercased()
    ) throws(JobQueueError) {
        let text: String
        do throws(JobCodingError) {
            text = try kind.encode(payload: payload)
        } catch {
            throw .invalidArgument(error.message)
        }
        self.init(kind: kind.name, payload: text, chatID: chatID, maxAttempts: maxAttempts, id: id)
    }
}
