/// Writes keyed values into a `_DocumentNode`.
struct _BSONKeyedEncodingContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let document: _DocumentNode
    let codingPath: [any CodingKey]

    private func set(_ value: BSON, _ key: Key) { document.set(key.stringValue, .value(value)) }
    private func int<T: FixedWidthInteger>(_ value: T, _ key: Key) throws {
        set(try _BSONEncoderImpl.integer(value, at: codingPath + [key]), key)
    }

    mutating func encodeNil(forKey key: Key) throws { set(.null, key) }
    mutating func encode(_ value: Bool, forKey key: Key) throws { set(.bool(value), key) }
    mutating func encode(_ value: String, forKey key: Key) throws { set(.string(value), key) }
    mutating func encode(_ value: Double, forKey key: Key) throws { set(.double(value), key) }
    mutating func encode(_ value: Float, forKey key: Key) throws { set(.double(Double(value)), key) }
    mutating func encode(_ value: Int, forKey key: Key) throws { try int(value, key) }
    mutating func encode(_ value: Int8, forKey key: Key) throws { try int(value, key) }
    mutating func encode(_ value: Int16, forKey key: Key) throws { try int(value, key) }
    mutating func encode(_ value: Int32, forKey key: Key) throws { try int(value, key) }
    mutating func encode(_ value: Int64, forKey key: Key) throws { try int(value, key) }
    mutating func encode(_ value: UInt, forKey key: Key) throws { try int(value, key) }
    mutating func encode(_ value: UInt8, forKey key: Key) throws { try int(value, key) }
    mutating func encode(_ value: UInt16, forKey key: Key) throws { try int(value, key) }
    mutating func encode(_ value: UInt32, forKey key: Key) throws { try int(value, key) }
    mutating func encode(_ value: UInt64, forKey key: Key) throws { try int(value, key) }

    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        document.set(key.stringValue, try _BSONEncoderImpl.box(value, at: codingPath + [key]))
    }

    mutating func nestedContainer<NestedKey: CodingKey>(
        keyedBy keyType: NestedKey.Type, forKey key: Key
    ) -> KeyedEncodingContainer<NestedKey> {
        let nested = _DocumentNode()
        document.set(key.stringValue, .document(nested))
        return KeyedEncodingContainer(
            _BSONKeyedEncodingContainer<NestedKey>(document: nested, codingPath: codingPath + [key]))
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        let nested = _ArrayNode()
        document.set(key.stringValue, .array(nested))
        return _BSONUnkeyedEncodingContainer(array: nested, codingPath: codingPath + [key])
    }

    mutating func superEncoder() -> any Encoder {
        superEncoder(forKey: _BSONKey.super.stringValue)
    }

    mutating func superEncoder(forKey key: Key) -> any Encoder {
        superEncoder(forKey: key.stringValue, codingKey: key)
    }

    private func superEncoder(forKey key: String, codingKey: (any CodingKey)? = nil) -> any Encoder {
        let encoder = _BSONEncoderImpl(codingPath: codingPath + [codingKey ?? _BSONKey.super])
        document.set(key, .deferred(encoder))
        return encoder
    }
}
