import Foundation
import OzhSupport

extension SandboxJSON {
    /// An API body type (``YooKassaAPI``, ``GeminiAPI``) as an ordered `JSONValue`: keys in the
    /// type's declaration order. These types hold strings, booleans and small integers only, so
    /// encoding cannot fail; if it ever did, the answer would be `{}`.
    static func value<T: Encodable>(_ body: T) -> JSONValue {
        (try? JSONValueEncoder().encode(body)) ?? .object([])
    }

    /// Where a `JSONDecoder` failure happened, as YooKassa names parameters: `amount.value`;
    /// "" for the body itself.
    static func path(of error: any Error) -> String {
        let path: [any CodingKey]
        switch error as? DecodingError {
        case .keyNotFound(let key, let context)?: path = context.codingPath + [key]
        case .typeMismatch(_, let context)?, .valueNotFound(_, let context)?, .dataCorrupted(let context)?: path = context.codingPath
        default: path = []
        }
        return path.map(\.stringValue).joined(separator: ".")
    }
}
