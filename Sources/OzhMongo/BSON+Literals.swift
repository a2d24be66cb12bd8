import Foundation

extension BSON: ExpressibleByStringLiteral {
    /// A string literal becomes `.string`.
    public init(stringLiteral value: String) { self = .string(value) }
}

extension BSON: ExpressibleByIntegerLiteral {
    /// An integer literal becomes `.int64` (use `.int32(_)` explicitly for 32-bit values).
    public init(integerLiteral value: Int) { self = .int64(Int64(value)) }
}

extension BSON: ExpressibleByFloatLiteral {
    /// A float literal becomes `.double`.
    public init(floatLiteral value: Double) { self = .double(value) }
}

extension BSON: ExpressibleByBooleanLiteral {
    /// A boolean literal becomes `.bool`.
    public init(booleanLiteral value: Bool) { self = .bool(value) }
}

extension BSON: ExpressibleByArrayLiteral {
    /// An array literal becomes `.array`.
    public init(arrayLiteral elements: BSON...) { self = .array(elements) }
}

extension BSON: ExpressibleByDictionaryLiteral {
    /// A dictionary literal becomes an ordered `.document` (literal order is kept).
    public init(dictionaryLiteral elements: (String, BSON)...) {
        self = .document(BSONDocument(elements))
    }
}

extension BSON: ExpressibleByNilLiteral {
    /// `nil` becomes `.null` where the type is `BSON` (not `BSON?`).
    public init(nilLiteral: ()) { self = .null }
}

extension BSON: CustomStringConvertible {
    /// A compact, JSON-like rendering for logs and test failures.
    public var description: String {
        switch self {
        case .double(let d): return "\(d)"
        case .string(let s): return "\"\(s)\""
        case .document(let d): return d.description
        case .array(let a): return "[" + a.map(\.description).joined(separator: ", ") + "]"
        case .binary(let d): return "Binary(\(d.count) bytes)"
        case .objectId(let o): return "ObjectId(\"\(o.hex)\")"
        case .bool(let b): return "\(b)"
        case .date(let d): return "Date(\(d.timeIntervalSince1970))"
        case .null: return "null"
        case .int32(let v): return "Int32(\(v))"
        case .int64(let v): return "\(v)"
        }
    }
}
