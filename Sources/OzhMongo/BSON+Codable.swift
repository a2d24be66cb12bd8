import Foundation

/// `BSON` and `BSONDocument` pass through `BSONEncoder`/`BSONDecoder` unchanged (those
/// coders intercept them). In any other coder (JSON, …) they map to the closest natural
/// form: numbers, strings, booleans, null, arrays, objects; ObjectId as hex, Data and Date
/// as that coder encodes them. Decoding from other coders is best-effort (no binary, date
/// or ObjectId can be recognised there: they come back as strings/numbers).
extension BSON: Codable {
    /// Best-effort decoding from a non-BSON decoder.
    public init(from decoder: any Decoder) throws {
        if let bsonDecoder = decoder as? _BSONDecoderImpl {
            self = bsonDecoder.value
            return
        }
        if let keyed = try? decoder.container(keyedBy: _BSONKey.self) {
            self = .document(try BSONDocument(from: keyed))
            return
        }
        if var unkeyed = try? decoder.unkeyedContainer() {
            var elements: [BSON] = []
            while !unkeyed.isAtEnd { elements.append(try unkeyed.decode(BSON.self)) }
            self = .array(elements)
            return
        }
        let single = try decoder.singleValueContainer()
        if single.decodeNil() {
            self = .null
        } else if let b = try? single.decode(Bool.self) {
            self = .bool(b)
        } else if let i = try? single.decode(Int64.self) {
            self = .int64(i)
        } else if let d = try? single.decode(Double.self) {
            self = .double(d)
        } else {
            self = .string(try single.decode(String.self))
        }
    }

    /// Natural encoding into a non-BSON encoder.
    public func encode(to encoder: any Encoder) throws {
        if let bsonEncoder = encoder as? _BSONEncoderImpl {
            bsonEncoder.node = .value(self)
            return
        }
        switch self {
        case .document(let d): try d.encode(to: encoder)
        case .array(let a):
            var container = encoder.unkeyedContainer()
            for element in a { try container.encode(element) }
        default:
            var container = encoder.singleValueContainer()
            switch self {
            case .double(let v): try container.encode(v)
            case .string(let v): try container.encode(v)
            case .binary(let v): try container.encode(v)
            case .objectId(let v): try container.encode(v)
            case .bool(let v): try container.encode(v)
            case .date(let v): try container.encode(v)
            case .null: try container.encodeNil()
            case .int32(let v): try container.encode(v)
            case .int64(let v): try container.encode(v)
            case .document, .array: break
            }
        }
    }
}

extension BSONDocument: Codable {
    /// Decodes a keyed container (in key order where the decoder preserves it).
    public init(from decoder: any Decoder) throws {
        if let bsonDecoder = decoder as? _BSONDecoderImpl {
            guard case .document(let d) = bsonDecoder.value else {
                throw _BSONDecoderImpl.mismatch(BSONDocument.self, bsonDecoder.value, at: decoder.codingPath)
            }
            self = d
            return
        }
        try self.init(from: decoder.container(keyedBy: _BSONKey.self))
    }

    fileprivate init(from container: KeyedDecodingContainer<_BSONKey>) throws {
        self.init()
        for key in container.allKeys { self[key.stringValue] = try container.decode(BSON.self, forKey: key) }
    }

    /// Encodes as a keyed container, in order.
    public func encode(to encoder: any Encoder) throws {
        if let bsonEncoder = encoder as? _BSONEncoderImpl {
            bsonEncoder.node = .value(.document(self))
            return
        }
        var container = encoder.container(keyedBy: _BSONKey.self)
        for (key, value) in self { try container.encode(value, forKey: _BSONKey(stringValue: key)) }
    }
}
