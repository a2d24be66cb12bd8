/// The encoder doubles as its own single-value container: each call replaces `node`.
extension _BSONEncoderImpl: SingleValueEncodingContainer {
    private func set(_ value: BSON) { node = .value(value) }
    private func int<T: FixedWidthInteger>(_ value: T) throws {
        set(try Self.integer(value, at: codingPath))
    }

    func encodeNil() throws { set(.null) }
    func encode(_ value: Bool) throws { set(.bool(value)) }
    func encode(_ value: String) throws { set(.string(value)) }
    func encode(_ value: Double) throws { set(.double(value)) }
    func encode(_ value: Float) throws { set(.double(Double(value))) }
    func encode(_ value: Int) throws { try int(value) }
    func encode(_ value: Int8) throws { try int(value) }
    func encode(_ value: Int16) throws { try int(value) }
    func encode(_ value: Int32) throws { try int(value) }
    func encode(_ value: Int64) throws { try int(value) }
    func encode(_ value: UInt) throws { try int(value) }
    func encode(_ value: UInt8) throws { try int(value) }
    func encode(_ value: UInt16) throws { try int(value) }
    func encode(_ value: UInt32) throws { try int(value) }
    func encode(_ value: UInt64) throws { try int(value) }

    func encode<T: Encodable>(_ value: T) throws {
        node = try Self.box(value, at: codingPath)
    }
}
