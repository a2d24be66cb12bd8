import Foundation

extension KeyedDecodingContainer {
    /// The value at `key` when it is there and of the right type; nil when it is missing, `null`
    /// or anything else (API answers: an odd optional field must not make the whole answer unreadable).
    package func lenient<T: Decodable>(_ type: T.Type, _ key: Key) -> T? {
        (try? decodeIfPresent(type, forKey: key)) ?? nil
    }

    /// The value at `key` when the key is there (`null` included, which must then decode as `T`);
    /// nil when it is missing. For request fields that may be left out but never sent empty.
    package func ifPresent<T: Decodable>(_ type: T.Type, _ key: Key) throws -> T? {
        contains(key) ? try decode(type, forKey: key) : nil
    }
}
