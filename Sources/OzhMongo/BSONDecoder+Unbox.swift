/// Primitive conversions shared by the keyed, unkeyed and single-value containers.
extension _BSONDecoderImpl {
    static func unboxInteger<T: FixedWidthInteger>(
        _ type: T.Type, from value: BSON, at path: [any CodingKey]
    ) throws -> T {
        let result: T?
        switch value {
        case .int32(let v): result = T(exactly: v)
        case .int64(let v): result = T(exactly: v)
        case .double(let d):
            guard d.isFinite, d.rounded(.towardZero) == d else {
                throw DecodingError.dataCorrupted(
                    DecodingError.Context(
                        codingPath: path, debugDescription: "Double \(d) is not an integral \(T.self)"))
            }
            result = T(exactly: d)
        default: throw mismatch(T.self, value, at: path)
        }
        guard let result else {
            throw DecodingError.dataCorrupted(
                DecodingError.Context(
                    codingPath: path, debugDescription: "Number \(value) does not fit in \(T.self)"))
        }
        return result
    }

    static func unboxDouble(from value: BSON, at path: [any CodingKey]) throws -> Double {
        guard let d = value.doubleValue else { throw mismatch(Double.self, value, at: path) }
        return d
    }

    static func unboxFloat(from value: BSON, at path: [any CodingKey]) throws -> Float {
        let d = try unboxDouble(from: value, at: path)
        let f = Float(d)
        guard f.isFinite || !d.isFinite else {
            throw DecodingError.dataCorrupted(
                DecodingError.Context(
                    codingPath: path, debugDescription: "Number \(d) does not fit in Float"))
        }
        return f
    }

    static func unboxBool(from value: BSON, at path: [any CodingKey]) throws -> Bool {
        guard case .bool(let b) = value else { throw mismatch(Bool.self, value, at: path) }
        return b
    }

    static func unboxString(from value: BSON, at path: [any CodingKey]) throws -> String {
        guard case .string(let s) = value else { throw mismatch(String.self, value, at: path) }
        return s
    }
}
