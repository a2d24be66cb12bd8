/// One Gemini API key and the Google project whose quota it draws on.
///
/// The secret is only readable through ``secret``: `description`, `debugDescription` and
/// reflection (`dump`, `Mirror`) show the ``label``, so interpolating a key into a log line
/// or an error never leaks it.
public struct GeminiKey: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// The API key itself, for the `x-goog-api-key` header only. Never log it.
    public let secret: String
    /// The project the key belongs to (quotas are per project, not per key).
    public let project: String
    /// A stable id safe for logs and Redis: `k-` and 16 hex digits of the key's FNV-1a 64 hash.
    public let id: String
    /// The key's public name for logs: its last 4 characters, e.g. `…a1b2`.
    public let label: String

    /// Creates a key of `project`.
    public init(secret: String, project: String) {
        self.secret = secret
        self.project = project
        self.id = "k-" + Self.hashHex(secret)
        self.label = "…" + String(secret.suffix(4))
    }

    /// A key known only by its public view (id and label, as the workers publish them): it
    /// has no ``secret`` and cannot call Gemini; the gateway uses such keys to ask the limiter
    /// whether anything could run.
    public init(publicID id: String, label: String, project: String) {
        self.secret = ""
        self.project = project
        self.id = id
        self.label = label
    }

    /// False for a key built from its public view only.
    public var hasSecret: Bool { !secret.isEmpty }

    public var description: String { "GeminiKey(\(label), project: \(project))" }
    public var debugDescription: String { description }
    public var customMirror: Mirror { Mirror(self, children: ["label": label, "project": project, "id": id]) }

    /// The project name of a key listed without one: `key-` and the first 8 hex digits of its hash.
    public static func defaultProject(for secret: String) -> String { "key-" + String(hashHex(secret).prefix(8)) }

    /// FNV-1a 64 of `text`'s UTF-8 bytes, as 16 lowercase hex digits.
    static func hashHex(_ text: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01b3
        }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}
