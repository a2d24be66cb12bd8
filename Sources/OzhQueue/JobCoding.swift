import Foundation
import OzhSupport

/// How a kind's payload or result becomes the JSON text of the job record, and back.
///
/// The text is part of the record format (readers outside this process see it: `GET /jobs/{id}`
/// shows a result as is), so each kind keeps the writer it always had: `JSONEncoder()`
/// (``jsonEncoder``), an ordered ``JSONValue`` (``jsonValue(_:)``), or its own.
public struct JobCoding<Value: Sendable>: Sendable {
    /// Writes the JSON text.
    public let encode: @Sendable (Value) throws -> String
    /// Reads the JSON text.
    public let decode: @Sendable (String) throws -> Value

    /// A coding of its own (e.g. one that skips parsing on a hot path).
    public init(encode: @escaping @Sendable (Value) throws -> String, decode: @escaping @Sendable (String) throws -> Value) {
        self.encode = encode
        self.decode = decode
    }
}

extension JobCoding where Value: Codable {
    /// `JSONEncoder()` and `JSONDecoder()` with their default options (keys in no fixed order, `/` escaped).
    public static var jsonEncoder: JobCoding {
        JobCoding(
            encode: { String(decoding: try JSONEncoder().encode($0), as: UTF8.self) },
            decode: { try JSONDecoder().decode(Value.self, from: Data($0.utf8)) })
    }

    /// Written as the ``JSONValue`` that `json` builds (keys in its order, its escaping), read
    /// with `JSONDecoder()`.
    public static func jsonValue(_ json: @escaping @Sendable (Value) -> JSONValue) -> JobCoding {
        JobCoding(
            encode: { json($0).serialized },
            decode: { try JSONDecoder().decode(Value.self, from: Data($0.utf8)) })
    }
}
