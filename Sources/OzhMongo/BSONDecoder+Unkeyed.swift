/// Reads values in order from a BSON array.
struct _BSONUnkeyedDecodingContainer: UnkeyedDecodingContainer {
    let array: [BSON]
    let codingPath: [any CodingKey]
    private(set) var currentIndex = 0

    init(array: [BSON], codingPath: [any CodingKey]) {
        self.array = array
        self.codingPath = codingPath
    }

    var count: Int? { array.count }
    var isAtEnd: Bool { currentIndex >= array.count }

    private var path: [any CodingKey] { codingPath + [_BSONKey(index: currentIndex)] }

    /// Returns the current element and advances, or throws `valueNotFound` at the end.
    private mutating func next<T>(_ type: T.Type, _ read: (BSON, [any CodingKey]) throws -> T) throws -> T {
        guard !isAtEnd else {
            throw DecodingError.valueNotFound(
                type,
                DecodingError.Context(
                    codingPath: path, debugDescription: "Unkeyed container is at end"))
        }
        let result = try read(array[currentIndex], path)
        currentIndex += 1
        return result
    }

    private mutating func int<T: FixedWidthInteger>(_ type: T.Type) throws -> T {
        try next(type) { try _BSONDecoderImpl.unboxInteger(type, from: $0, at: $1) }
    }

    mutating func decodeNil() throws -> Bool {
        guard !isAtEnd else {
            throw DecodingError.valueNotFound(
                BSON.self,
                DecodingError.Context(
                    codingPath: path, debugDescription: "Unkeyed container is at end"))
        }
        guard array[currentIndex].isNull else { return false }
        currentIndex += 1
        return true
    }

    mutating func decode(_ type: Bool.Type) throws -> Bool { try next(type, _BSONDecoderImpl.unboxBool) }
    mutating func decode(_ type: String.Type) throws -> String { try next(type, _BSONDecoderImpl.unboxString) }
    mutating func decode(_ type: Double.Type) throws -> Double { try next(type, _BSONDecoderImpl.unboxDouble) }
    mutating func decode(_ type: Float.Type) throws -> Float { try next(type, _BSONDecoderImpl.unboxFloat) }
    mutating func decode(_ type: Int.Type) throws -> Int { try int(type) }
    mutating func decode(_ type: Int8.Type) throws -> Int8 { try int(type) }
    mutating func decode(_ type: Int16.Type) throws -> Int16 { try int(type) }
    mutating func decode(_ type: Int32.Type) throws -> Int32 { try int(type) }
    mutating func decode(_ type: Int64.Type) throws -> Int64 { try int(type) }
    mutating func decode(_ type: UInt.Type) throws -> UInt { try int(type) }
    mutating func decode(_ type: UInt8.Type) throws -> UInt8 { try int(type) }
    mutating func decode(_ type: UInt16.Type) throws -> UInt16 { try int(type) }
    mutating func decode(_ type: UInt32.Type) throws -> UInt32 { try int(type) }
    mutating func decode(_ type: UInt64.Type) throws -> UInt64 { try int(type) }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
        try next(type) { try _BSONDecoderImpl.unbox(type, from: $0, at: $1) }
    }

    mutating func nestedContainer<NestedKey: CodingKey>(
        keyedBy type: NestedKey.Type
    ) throws -> KeyedDecodingContainer<NestedKey> {
        try next(KeyedDecodingContainer<NestedKey>.self) {
            try _BSONDecoderImpl(value: $0, codingPath: $1).container(keyedBy: type)
        }
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
        try next((any UnkeyedDecodingContainer).self) {
            try _BSONDecoderImpl(value: $0, codingPath: $1).unkeyedContainer()
        }
    }

    mutating func superDecoder() throws -> any Decoder {
        try next((any Decoder).self) { _BSONDecoderImpl(value: $0, codingPath: $1) }
    }
}
