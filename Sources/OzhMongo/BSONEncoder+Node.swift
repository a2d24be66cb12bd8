/// A partially built BSON value; documents and arrays are references so nested
/// containers can keep appending after they are handed out.
enum _EncodingNode {
    case value(BSON)
    case document(_DocumentNode)
    case array(_ArrayNode)
    /// A `superEncoder()`: resolved from whatever that encoder collected.
    case deferred(_BSONEncoderImpl)

    func resolve() -> BSON {
        switch self {
        case .value(let v): return v
        case .document(let d): return .document(BSONDocument(zip(d.keys, d.nodes.map { $0.resolve() })))
        case .array(let a): return .array(a.nodes.map { $0.resolve() })
        case .deferred(let encoder): return encoder.node?.resolve() ?? .document(BSONDocument())
        }
    }
}

/// An ordered document under construction.
final class _DocumentNode {
    private(set) var keys: [String] = []
    private(set) var nodes: [_EncodingNode] = []

    /// Sets `key`, replacing an earlier value in place.
    func set(_ key: String, _ node: _EncodingNode) {
        if let index = keys.firstIndex(of: key) {
            nodes[index] = node
        } else {
            keys.append(key)
            nodes.append(node)
        }
    }
}

/// An array under construction.
final class _ArrayNode {
    var nodes: [_EncodingNode] = []
}

/// A coding key for array indices, `super` and dictionary keys.
struct _BSONKey: CodingKey {
    let stringValue: String
    let intValue: Int?

    init(stringValue: String) {
        self.stringValue = stringValue
        intValue = nil
    }

    init(intValue: Int) {
        stringValue = String(intValue)
        self.intValue = intValue
    }

    init(index: Int) {
        stringValue = "Index \(index)"
        intValue = index
    }

    static let `super` = _BSONKey(stringValue: "super")
}
