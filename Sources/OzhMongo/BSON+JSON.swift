import Foundation
import OzhSupport

extension BSON {
    /// The value as JSON for API answers: dates in the seed's timestamp format, ObjectIds as
    /// hex strings, binary as base64, documents keeping their key order.
    public var json: JSONValue {
        switch self {
        case .double(let value): return .double(value)
        case .string(let value): return .string(value)
        case .document(let document): return document.json
        case .array(let items): return .array(items.map(\.json))
        case .binary(let data): return .string(data.base64EncodedString())
        case .objectId(let id): return .string(id.hex)
        case .bool(let value): return .bool(value)
        case .date(let date): return .string(Timestamp.format(date))
        case .null: return .null
        case .int32(let value): return .int(Int64(value))
        case .int64(let value): return .int(value)
        }
    }
}

extension BSONDocument {
    /// The document as a JSON object (see ``BSON/json``).
    public var json: JSONValue { .object(map { ($0.key, $0.value.json) }) }
}
