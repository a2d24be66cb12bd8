import Foundation

/// A JSON object of string values whose keys keep the order they were given in (YooKassa's
/// `metadata`, Google's `quotaDimensions`): encoded in that order, so a body built twice is
/// the same text twice.
///
/// Decoding is lenient, as readers of these maps always were: keys come out sorted (a decoder
/// keeps no order), numbers and booleans become their text (`5`, `2.5`, `true`), and `null`,
/// objects and arrays are skipped.
public struct JSONStringMap: Codable, Sendable, Equatable, ExpressibleByDictionaryLiteral {
    /// The fields, in order.
    public var fields: [(key: String, value: String)]

    /// A map of `fields` in their order.
    public init(_ fields: [(key: String, value: String)] = []) {
        self.fields = fields
    }

    public init(dictionaryLiteral elements: (String, String)...) {
        fields = elements.map { (key: $0.0, value: $0.1) }
    }

    /// The value of `key`, if any.
    public subscript(key: String) -> String? {
        fields.first { $0.key == key }?.value
    }

    /// The fields as a dictionary (a key given twice keeps its last value).
    public var dictionary: [String: String] {
        Dictionary(fields.map { ($0.key, $0.value) }, uniquingKeysWith: { _, last in last })
    }

    public var count: Int { fields.count }
    public var isEmpty: Bool { fields.isEmpty }

    public static func == (lhs: JSONStringMap, rhs: JSONStringMap) -> Bool {
        lhs.fields.elementsEqual(rhs.fields) { $0.key == $1.key && $0.value == $1.value }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: JSONValueKey.self)
        fields = container.allKeys.map(\.stringValue).sorted().compactMap { name in
            let key = JSONValueKey(stringValue: name)
            if let text = try? container.decode(String.self, forKey: key) { return (name, text) }
            if let int = try? container.decode(Int64.self, forKey: key) { return (name, String(int)) }
            if let double = try? container.decode(Double.self, forKey: key) { return (name, "\(double)") }
            if let bool = try? container.decode(Bool.self, forKey: key) { return (name, bool ? "true" : "false") }
            return nil
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: JSONValueKey.self)
        for (key, value) in fields {
            try container.encode(value, forKey: JSONValueKey(stringValue: key))
        }
    }
}
