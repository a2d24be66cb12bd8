import Foundation

/// Encodes `Encodable` values into `BSONDocument`s.
///
/// Mapping: `Int`/`Int64` → int64, `Int32` → int32, other fixed-width integers → int64
/// (values outside `Int64` throw), `Double`/`Float` → double, `Date` → BSON date
/// (rounded to the millisecond), `Data` → binary, `ObjectId` → objectId, `BSON` and
/// `BSONDocument` pass through, arrays → array, `[String: T]` and nested types → document,
/// an explicit `encodeNil`/`encode(nil)` → null (synthesized `encodeIfPresent` omits the key).
public struct BSONEncoder: Sendable {
    /// A new encoder.
    public init() {}

    /// Encodes `value`, which must encode as a keyed container (a document).
    public func encode<T: Encodable>(_ value: T) throws -> BSONDocument {
        if let document = value as? BSONDocument { return document }
        let bson = try _BSONEncoderImpl.box(value, at: []).resolve()
        guard case .document(let document) = bson else {
            throw EncodingError.invalidValue(
                value,
                EncodingError.Context(
                    codingPath: [],
                    debugDescription: "Top-level \(T.self) did not encode as a BSON document"))
        }
        return document
    }

    /// Encodes any `Encodable` into a single `BSON` value (not necessarily a document).
    public func encodeValue<T: Encodable>(_ value: T) throws -> BSON {
        try _BSONEncoderImpl.box(value, at: []).resolve()
    }
}

/// The `Encoder` handed to `encode(to:)`; collects one `_EncodingNode`.
final class _BSONEncoderImpl: Encoder {
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }
    /// What has been encoded so far (nil until a container is requested).
    var node: _EncodingNode?

    init(codingPath: [any CodingKey]) {
        self.codingPath = codingPath
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        let document: _DocumentNode
        if case .document(let existing)? = node {
            document = existing
        } else {
            document = _DocumentNode()
            node = .document(document)
        }
        return KeyedEncodingContainer(
            _BSONKeyedEncodingContainer<Key>(document: document, codingPath: codingPath))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        let array: _ArrayNode
        if case .array(let existing)? = node {
            array = existing
        } else {
            array = _ArrayNode()
            node = .array(array)
        }
        return _BSONUnkeyedEncodingContainer(array: array, codingPath: codingPath)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer { self }

    /// Encodes one value found at `path`, intercepting the types BSON represents natively.
    static func box<T: Encodable>(_ value: T, at path: [any CodingKey]) throws -> _EncodingNode {
        switch value {
        case let v as BSON: return .value(v)
        case let v as BSONDocument: return .value(.document(v))
        case let v as ObjectId: return .value(.objectId(v))
        case let v as Date: return .value(.date(v))
        case let v as Data: return .value(.binary(v))
        default: break
        }
        let encoder = _BSONEncoderImpl(codingPath: path)
        try value.encode(to: encoder)
        return encoder.node ?? .document(_DocumentNode())
    }

    /// A fixed-width integer as BSON: `Int32` stays int32, everything else becomes int64.
    static func integer<T: FixedWidthInteger>(_ value: T, at path: [any CodingKey]) throws -> BSON {
        if let v = value as? Int32 { return .int32(v) }
        guard let v = Int64(exactly: value) else {
            throw EncodingError.invalidValue(
                value,
                EncodingError.Context(
                    codingPath: path, debugDescription: "\(T.self) value \(value) does not fit in BSON int64"))
        }
        return .int64(v)
    }
}
