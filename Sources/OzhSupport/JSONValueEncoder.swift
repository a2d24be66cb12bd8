import Foundation

/// Encodes `Encodable` values into ordered ``JSONValue``s.
///
/// Object keys come out in the order `encode(to:)` writes them (for a synthesized conformance,
/// the order the properties are declared in), and ``JSONValue/serialized`` writes them so: the
/// same value always gives the same bytes, in every process. `JSONEncoder` without
/// `.sortedKeys` does not promise that, and an API body resent under one idempotence key must
/// not change (YooKassa answers 400 to a different body under a known `Idempotence-Key`).
///
/// Mapping: `Bool`, `String`, integers (`.int`, values beyond `Int64` throw), `Double`/`Float`
/// (`.double`); `nil` written by `encodeNil` becomes `null` (synthesized `encodeIfPresent`
/// leaves the key out). Other `Foundation` types encode through their own `Encodable`
/// conformance (a `Date` is a number, `Data` an array of bytes): API types use strings.
public struct JSONValueEncoder: Sendable {
    /// A new encoder.
    public init() {}

    /// `value` as a ``JSONValue``.
    public func encode<T: Encodable>(_ value: T) throws -> JSONValue {
        try JSONValueEncoding.box(value, at: []).resolve()
    }

    /// `value`'s compact JSON text as UTF-8 bytes: the same bytes on every call.
    public func data<T: Encodable>(_ value: T) throws -> Data {
        Data(try encode(value).serialized.utf8)
    }
}

/// What an encoding is building: a finished value, or an object or array still being filled.
enum JSONValueNode {
    case value(JSONValue)
    case object(JSONValueObjectNode)
    case array(JSONValueArrayNode)
    /// A `superEncoder`'s result, read when the tree is resolved.
    case deferred(JSONValueEncoding)

    func resolve() -> JSONValue {
        switch self {
        case .value(let value): return value
        case .object(let object): return .object(object.fields.map { ($0.0, $0.1.resolve()) })
        case .array(let array): return .array(array.items.map { $0.resolve() })
        case .deferred(let encoder): return encoder.node?.resolve() ?? .object([])
        }
    }
}

/// An object's fields in the order they were first written (a key written again keeps its place).
final class JSONValueObjectNode {
    var fields: [(String, JSONValueNode)] = []
    private var positions: [String: Int] = [:]

    func set(_ key: String, _ node: JSONValueNode) {
        if let position = positions[key] {
            fields[position].1 = node
        } else {
            positions[key] = fields.count
            fields.append((key, node))
        }
    }
}

/// An array's items in order.
final class JSONValueArrayNode {
    var items: [JSONValueNode] = []
}

/// The `Encoder` handed to `encode(to:)`; collects one ``JSONValueNode``.
final class JSONValueEncoding: Encoder {
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }
    var node: JSONValueNode?

    init(codingPath: [any CodingKey]) {
        self.codingPath = codingPath
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        let object: JSONValueObjectNode
        if case .object(let existing)? = node {
            object = existing
        } else {
            object = JSONValueObjectNode()
            node = .object(object)
        }
        return KeyedEncodingContainer(JSONValueKeyedContainer<Key>(object: object, codingPath: codingPath))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        let array: JSONValueArrayNode
        if case .array(let existing)? = node {
            array = existing
        } else {
            array = JSONValueArrayNode()
            node = .array(array)
        }
        return JSONValueUnkeyedContainer(array: array, codingPath: codingPath)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        JSONValueSingleContainer(encoder: self)
    }

    /// One value at `path`, through its `encode(to:)`.
    static func box<T: Encodable>(_ value: T, at path: [any CodingKey]) throws -> JSONValueNode {
        let encoder = JSONValueEncoding(codingPath: path)
        try value.encode(to: encoder)
        return encoder.node ?? .object(JSONValueObjectNode())
    }

    static func integer<T: BinaryInteger>(_ value: T, at path: [any CodingKey]) throws -> JSONValue {
        guard let exact = Int64(exactly: value) else {
            throw EncodingError.invalidValue(value, EncodingError.Context(codingPath: path, debugDescription: "\(value) does not fit in Int64"))
        }
        return .int(exact)
    }
}

/// A coding key made from a string or an index (for nested paths and `super`).
package struct JSONValueKey: CodingKey {
    package var stringValue: String
    package var intValue: Int?
    package init(stringValue: String) { self.stringValue = stringValue }
    package init(intValue: Int) {
        stringValue = String(intValue)
        self.intValue = intValue
    }
}
