/// An ordered BSON document: key/value pairs in insertion order.
///
/// Keys are unique; setting an existing key replaces its value in place, setting `nil`
/// removes it. Equality is order-sensitive, as in BSON itself.
public struct BSONDocument: Sendable, Equatable, Hashable {
    private var keyList: [String]
    private var valueList: [BSON]

    /// An empty document.
    public init() {
        keyList = []
        valueList = []
    }

    /// A document from ordered pairs; a repeated key keeps its first position and last value.
    public init<S: Sequence>(_ pairs: S) where S.Element == (String, BSON) {
        self.init()
        for (key, value) in pairs { self[key] = value }
    }

    /// The keys, in order.
    public var keys: [String] { keyList }

    /// The values, in key order.
    public var values: [BSON] { valueList }

    /// The number of keys.
    public var count: Int { keyList.count }

    /// `true` when the document has no keys.
    public var isEmpty: Bool { keyList.isEmpty }

    /// The value for `key`; assigning `nil` removes the key, assigning a value appends or replaces it.
    public subscript(key: String) -> BSON? {
        get {
            guard let index = keyList.firstIndex(of: key) else { return nil }
            return valueList[index]
        }
        set {
            let index = keyList.firstIndex(of: key)
            switch (index, newValue) {
            case (let i?, let v?): valueList[i] = v
            case (let i?, nil):
                keyList.remove(at: i)
                valueList.remove(at: i)
            case (nil, let v?):
                keyList.append(key)
                valueList.append(v)
            case (nil, nil): break
            }
        }
    }

    /// `true` when `key` is present (even with a `.null` value).
    public func contains(_ key: String) -> Bool { keyList.contains(key) }

    /// A copy with `key` set first (replacing any existing value at its old position).
    public func prepending(_ key: String, _ value: BSON) -> BSONDocument {
        var copy = self
        copy[key] = nil
        copy.keyList.insert(key, at: 0)
        copy.valueList.insert(value, at: 0)
        return copy
    }
}

extension BSONDocument: ExpressibleByDictionaryLiteral {
    /// A document from a literal; literal order is kept.
    public init(dictionaryLiteral elements: (String, BSON)...) {
        self.init(elements)
    }
}

extension BSONDocument: Sequence {
    /// One key/value pair.
    public typealias Element = (key: String, value: BSON)

    /// Iterates pairs in key order.
    public struct Iterator: IteratorProtocol {
        private var keys: IndexingIterator<[String]>
        private var values: IndexingIterator<[BSON]>

        fileprivate init(_ document: BSONDocument) {
            keys = document.keyList.makeIterator()
            values = document.valueList.makeIterator()
        }

        /// The next pair, or `nil` at the end.
        public mutating func next() -> Element? {
            guard let key = keys.next(), let value = values.next() else { return nil }
            return (key, value)
        }
    }

    /// An iterator over the pairs in order.
    public func makeIterator() -> Iterator { Iterator(self) }

    /// The number of pairs (lets `Array(document)` reserve capacity).
    public var underestimatedCount: Int { keyList.count }
}

extension BSONDocument: CustomStringConvertible {
    /// A compact, JSON-like rendering for logs and test failures.
    public var description: String {
        "{" + map { "\"\($0.key)\": \($0.value.description)" }.joined(separator: ", ") + "}"
    }
}
