import Foundation
import OzhQueue

/// One Standard Webhooks signing secret: `whsec_` followed by the base64 of the key bytes.
/// Its description never shows the key.
public struct WebhookSecret: Sendable, Equatable, CustomStringConvertible {
    /// The HMAC key (the base64 part, decoded).
    public let key: Data

    /// Parses `whsec_<base64>`; the key must be 16 to 64 bytes.
    public init(_ text: String) throws(CallbackURLError) {
        guard text.hasPrefix("whsec_"), let key = Data(base64Encoded: String(text.dropFirst(6))), (16...64).contains(key.count) else {
            throw .invalid("a secret must be whsec_ followed by the base64 of 16 to 64 bytes")
        }
        self.key = key
    }

    public var description: String { "whsec_…(\(key.count) bytes)" }
}
