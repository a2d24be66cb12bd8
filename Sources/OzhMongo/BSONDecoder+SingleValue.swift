/// The decoder doubles as its own single-value container.
extension _BSONDecoderImpl: SingleValueDecodingContainer {
    private func int<T: FixedWidthInteger>(_ type: T.Type) throws -> T {
        try Self.unboxInteger(type, from: value, at: codingPath)
    }

    func decodeNil() -> Bool { value.isNull }
    func decode(_ type: Bool.Type) throws -> Bool { try Self.unboxBool(from: value, at: codingPath) }
    func decode(_ type: String.Type) throws -> String { try Self.unboxString(from: value, at: codingPath) }
    func decode(_ type: Double.Type) throws -> Double { try Self.unboxDouble(from: value, at: codingPath) }
    func decode(_ type: Float.Type) throws -> Float { try Self.unboxFloat(from: value, at: codingPath) }
    func decode(_ type: Int.Type) throws -> Int { try int(type) }
    func decode(_ type: Int8.Type) throws -> Int8 { try int(type) }
    func decode(_ type: Int16.Type) throws -> Int16 { try int(type) }
    func decode(_ type: Int32.Type) throws -> Int32 { try int(type) }
    func decode(_ type: Int64.Type) throws -> Int64 { try int(type) }
    func decode(_ type: UInt.Type) throws -> UInt { try int(type) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try int(type) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try int(type) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try int(type) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try int(type) }

    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        try Self.unbox(type, from: value, at: codingPath)
    }
}
