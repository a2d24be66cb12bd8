/// Appends values to an `_ArrayNode`.
struct _BSONUnkeyedEncodingContainer: UnkeyedEncodingContainer {
    let array: _ArrayNode
    let codingPath: [any CodingKey]
    var count: Int { array.nodes.count }

    private var nextPath: [any CodingKey] { codingPath + [_BSONKey(index: count)] }
    private func append(_ value: BSON) { array.nodes.append(.value(value)) }
    private func int<T: FixedWidthInteger>(_ value: T) throws {
        append(try _BSONEncoderImpl.integer(value, at: nextPath))
    }

    mutating func encodeNil() throws { append(.null) }
    mutating func encode(_ value: Bool) throws { append(.bool(value)) }
    mutating func encode(_ value: String) throws { append(.string(value)) }
    mutating func encode(_ value: Double) throws { append(.double(value)) }
    mutating func encode(_ value: Float) throws { append(.double(Double(value))) }
    mutating func encode(_ value: Int) throws { try int(value) }
    mutating func encode(_ value: Int8) throws { try int(value) }
    mutating func encode(_ value: Int16) throws { try int(value) }
    mutating func encode(_ value: Int32) throws { try int(value) }
    mutating func encode(_ value: Int64) throws { try int(value) }
    mutating func encode(_ value: UInt) throws { try int(value) }
    mutating func encode(_ value: UInt8) throws { try int(value) }
    mutating func encode(_ value: UInt16) throws { try int(value) }
    mutating func encode(_ value: UInt32) throws { try int(value) }
    mutating func encode(_ value: UInt64) throws { try int(value) }

    mutating func encode<T: Encodable>(_ value: T) throws {
        array.nodes.append(try _BSONEncoderImpl.box(value, at: nextPath))
    }

    mutating func nestedContainer<NestedKey: CodingKey>(
        keyedBy keyType: NestedKey.Type
    ) -> KeyedEncodingContainer<NestedKey> {
        let nested = _DocumentNode()
        let path = nextPath
        array.nodes.append(.document(nested))
        return KeyedEncodingContainer(
            _BSONKeyedEncodingContainer<NestedKey>(document: nested, codingPath: path))
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        let nested = _ArrayNode()
        let path = nextPath
        array.nodes.append(.array(nested))
        return _BSONUnkeyedEncodingContainer(array: nested, codingPath: path)
    }

    mutating func superEncoder() -> any Encoder {
        let encoder = _BSONEncoderImpl(codingPath: nextPath)
        array.nodes.append(.deferred(encoder))
        return encoder
    }
}
