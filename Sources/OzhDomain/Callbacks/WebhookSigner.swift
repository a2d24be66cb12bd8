import Crypto
import Foundation

/// Standard Webhooks 1.0 signatures: `v1,<base64 HMAC-SHA256(key, "<id>.<timestamp>.<body>")>`,
/// one per secret, space-separated (two during a rotation).
public struct WebhookSigner: Sendable {
    /// The secrets, each signing every message.
    public let secrets: [WebhookSecret]

    /// Creates a signer over `secrets` (at least one).
    public init(secrets: [WebhookSecret]) {
        self.secrets = secrets
    }

    /// The `webhook-signature` header value for `body` sent as message `id` at `timestamp` (unix seconds).
    public func signature(id: String, timestamp: Int64, body: Data) -> String {
        var message = Data("\(id).\(timestamp).".utf8)
        message.append(body)
        return secrets.map { secret in
            let mac = HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: secret.key))
            return "v1," + Data(mac).base64EncodedString()
        }.joined(separator: " ")
    }

    /// The three headers of one delivery attempt.
    public func headers(id: String, timestamp: Int64, body: Data) -> [(String, String)] {
        [("webhook-id", id), ("webhook-timestamp", String(timestamp)), ("webhook-signature", signature(id: id, timestamp: timestamp, body: body))]
    }
}
