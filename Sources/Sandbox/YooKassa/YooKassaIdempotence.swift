import Foundation
import OzhSupport

/// Answers remembered per Idempotence-Key for a while (24 h by default): the same key with
/// the same operation and body gets the first answer again; with anything else, a 400.
struct YooKassaIdempotence: Sendable {
    struct Record: Sendable {
        var operation: String
        var fingerprint: String
        var status: Int
        var body: JSONValue
        var expires: Double
    }

    enum Lookup {
        case new
        case replay(Record)
        case conflict
    }

    let ttl: Double
    private(set) var records: [String: Record] = [:]

    init(ttl: Double) { self.ttl = ttl }

    /// What `key` means for `operation` with a body of `fingerprint` (expired keys are forgotten).
    mutating func lookup(_ key: String, operation: String, fingerprint: String, now: Double) -> Lookup {
        guard let record = records[key] else { return .new }
        guard record.expires > now else {
            records[key] = nil
            return .new
        }
        return record.operation == operation && record.fingerprint == fingerprint ? .replay(record) : .conflict
    }

    /// Remembers a successful answer under `key`.
    mutating func store(_ key: String, operation: String, fingerprint: String, status: Int, body: JSONValue, now: Double) {
        if records.count > 10_000 { records = records.filter { $0.value.expires > now } }
        records[key] = Record(operation: operation, fingerprint: fingerprint, status: status, body: body, expires: now + ttl)
    }

    mutating func removeAll() { records = [:] }
}
