import Foundation

/// One BSON value, as stored by MongoDB.
///
/// Only the types this project needs are modelled; decoding a document that holds any
/// other BSON type (decimal128, regex, timestamp, …) fails with `MongoError.decoding`.
public enum BSON: Sendable, Equatable, Hashable {
    /// A 64-bit IEEE 754 floating point number (BSON type 0x01).
    case double(Double)
    /// A UTF-8 string (BSON type 0x02).
    case string(String)
    /// An embedded document (BSON type 0x03).
    case document(BSONDocument)
    /// An array (BSON type 0x04).
    case array([BSON])
    /// Generic binary data, subtype 0x00 (BSON type 0x05).
    case binary(Data)
    /// A 12-byte ObjectId (BSON type 0x07).
    case objectId(ObjectId)
    /// A boolean (BSON type 0x08).
    case bool(Bool)
    /// A UTC datetime with millisecond precision (BSON type 0x09).
    case date(Date)
    /// The null value (BSON type 0x0A).
    case null
    /// A 32-bit signed integer (BSON type 0x10).
    case int32(Int32)
    /// A 64-bit signed integer (BSON type 0x12).
    case int64(Int64)
}

extension BSON {
    /// The value as an `Int64`: accepts `int32`, `int64` and a `double` holding an integral value.
    public var int64Value: Int64? {
        switch self {
        case .int32(let v): return Int64(v)
        case .int64(let v): return v
        case .double(let d): return Int64(exactly: d)
        default: return nil
        }
    }

    /// The value as a `Double`: accepts `double`, `int32` and `int64`.
    public var doubleValue: Double? {
        switch self {
        case .double(let d): return d
        case .int32(let v): return Double(v)
        case .int64(let v): return Double(v)
        default: return nil
        }
    }

    /// The string, if this is a `.string`.
    public var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    /// The boolean, if this is a `.bool`.
    public var boolValue: Bool? {
        if case .bool(let b) = self { return b }
        return nil
    }

    /// The date, if this is a `.date`.
    public var dateValue: Date? {
        if case .date(let d) = self { return d }
        return nil
    }

    /// The embedded document, if this is a `.document`.
    public var documentValue: BSONDocument? {
        if case .document(let d) = self { return d }
        return nil
    }

    /// The elements, if this is an `.array`.
    public var arrayValue: [BSON]? {
        if case .array(let a) = self { return a }
        return nil
    }

    /// The ObjectId, if this is an `.objectId`.
    public var objectIdValue: ObjectId? {
        if case .objectId(let o) = self { return o }
        return nil
    }

    /// The bytes, if this is a `.binary`.
    public var binaryValue: Data? {
        if case .binary(let d) = self { return d }
        return nil
    }

    /// `true` for `.null`.
    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }
}
