import Foundation

/// Decodes `Decodable` values from `BSONDocument`s.
///
/// Integers accept int32, int64 and integral doubles (range-checked), floating point
/// accepts any number, a missing key or null decodes as `nil` for optionals, `Date`,
/// `Data`, `ObjectId`, `BSON` and `BSONDocument` are read natively. Failures are
/// `DecodingError`s carrying the full coding path.
public struct BSONDecoder: Sendable {
    /// A new decoder.
    public init() {}

    /// Decodes a `T` from `document`.
    public func decode<T: Decodable>(_ type: T.Type, from document: BSONDocument) throws -> T {
        try _BSONDecoderImpl.unbox(type, from: .document(document), at: [])
    }

    /// Decodes a `T` from any single `BSON` value.
    public func decode<T: Decodable>(_ type: T.Type, fromValue value: BSON) throws -> T {
        try _BSONDecoderImpl.unbox(type, from: value, at: [])
    }
}

/// The `Decoder` handed to `init(from:)`; wraps one BSON value.
final class _BSONDecoderImpl: Decoder {
    let value: BSON
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    init(value: BSON, codingPath: [any CodingKey]) {
        self.value = value
        self.codingPath = codingPath
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard case .document(let document) = value else {
            throw Self.mismatch([String: BSON].self, value, at: codingPath)
        }
        return KeyedDecodingContainer(
            _BSONKeyedDecodingContainer<Key>(document: document, codingPath: codingPath))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        guard case .array(let array) = value else {
            throw Self.mismatch([BSON].self, value, at: codingPath)
        }
        return _BSONUnkeyedDecodingContainer(array: array, codingPath: codingPath)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer { self }

    /// Reads a BSON ObjectId (or, leniently, a 24-digit hex string).
    func decodeObjectId() throws -> ObjectId {
        switch value {
        case .objectId(let oid): return oid
        case .string(let s):
            if let oid = ObjectId(hex: s) { return oid }
            throw DecodingError.dataCorrupted(
                DecodingError.Context(
                    codingPath: codingPath, debugDescription: "Invalid ObjectId hex string \"\(s)\""))
        default: throw Self.mismatch(ObjectId.self, value, at: codingPath)
        }
    }

    /// Decodes a `T` from `value` found at `path`, reading natively represented types directly.
    static func unbox<T: Decodable>(_ type: T.Type, from value: BSON, at path: [any CodingKey]) throws -> T {
        if T.self == BSON.self { return value as! T }
        if T.self == BSONDocument.self {
            guard case .document(let d) = value else { throw mismatch(T.self, value, at: path) }
            return d as! T
        }
        if T.self == Date.self {
            guard case .date(let d) = value else { throw mismatch(T.self, value, at: path) }
            return d as! T
        }
        if T.self == Data.self {
            guard case .binary(let d) = value else { throw mismatch(T.self, value, at: path) }
            return d as! T
        }
        if T.self == ObjectId.self {
            return try _BSONDecoderImpl(value: value, codingPath: path).decodeObjectId() as! T
        }
        return try T(from: _BSONDecoderImpl(value: value, codingPath: path))
    }

    /// The error for "expected `T`, found `value`" (`valueNotFound` for null).
    static func mismatch(_ type: Any.Type, _ value: BSON, at path: [any CodingKey]) -> DecodingError {
        if case .null = value {
            return .valueNotFound(
                type,
                DecodingError.Context(
                    codingPath: path, debugDescription: "Expected \(type) but found null"))
        }
        return .typeMismatch(
            type,
            DecodingError.Context(
                codingPath: path, debugDescription: "Expected \(type) but found BSON \(value.typeName)"))
    }
}

extension BSON {
    /// The BSON type name, for error messages.
    var typeName: String {
        switch self {
        case .double: return "double"
        case .string: return "string"
        case .document: return "document"
        case .array: return "array"
        case .binary: return "binary"
        case .objectId: return "objectId"
        case .bool: return "bool"
        case .date: return "date"
        case .null: return "null"
        case .int32: return "int32"
        case .int64: return "int64"
        }
    }
}
