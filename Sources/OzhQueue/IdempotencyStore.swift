import Foundation
import OzhRedis
import OzhSupport

/// Maps an `Idempotency-Key` to the job it created, for at least `ttl` (default 25 h).
///
/// A bot that retries a job-creating request after a time-out sends the same key and gets the
/// same job: nothing is created or charged twice. The same key with a different request is
/// refused. The claim is one atomic script; the job id is fixed *before* the job is created,
/// and enqueueing by id is itself idempotent, so a crash between the claim and the enqueue
/// is completed by the retry.
public struct IdempotencyStore: Sendable {
    /// What a claim found.
    public enum Claim: Sendable, Equatable {
        /// The key is new: create the job under this id.
        case new(jobID: String)
        /// The key was used before for the same request: answer with this job.
        case existing(jobID: String)
    }

    let redis: RedisClient
    let prefix: String
    let ttl: Duration

    public init(redis: RedisClient, prefix: String, ttl: Duration = .seconds(25 * 3600)) {
        self.redis = redis
        self.prefix = prefix
        self.ttl = ttl
    }

    /// Checks a header value: 1–128 printable ASCII characters.
    public static func validate(_ key: String) throws(IdempotencyError) {
        guard (1...128).contains(key.utf8.count), key.utf8.allSatisfy({ $0 >= 0x21 && $0 <= 0x7E }) else {
            throw .invalidKey
        }
    }

    /// Claims `key` for a request whose fingerprint is `fingerprint` (see ``fingerprint(_:)``).
    public func claim(key: String, fingerprint: String, newJobID: String = UUID().uuidString.lowercased()) async throws -> Claim {
        try Self.validate(key)
        let reply = try await redis.run(
            Self.script, keys: [prefix + "idem:" + key],
            arguments: [fingerprint + " " + newJobID, String(ttl.wholeMilliseconds)])
        guard let stored = reply.string, let space = stored.firstIndex(of: " ") else {
            return .new(jobID: newJobID)
        }
        let storedFingerprint = String(stored[..<space])
        let jobID = String(stored[stored.index(after: space)...])
        guard storedFingerprint == fingerprint else { throw IdempotencyError.keyReused }
        return jobID == newJobID ? .new(jobID: jobID) : .existing(jobID: jobID)
    }

    /// A 128-bit FNV-1a digest (two 64-bit lanes) of the parts that make a request what it is.
    public static func fingerprint(_ parts: [Data]) -> String {
        var a: UInt64 = 0xcbf2_9ce4_8422_2325
        var b: UInt64 = 0x8422_2325_cbf2_9ce4
        for part in parts {
            for byte in part {
                a = (a ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
                b = (b ^ UInt64(byte ^ 0x5A)) &* 0x0000_0100_0000_01B3
            }
            a = (a ^ 0xFF) &* 0x0000_0100_0000_01B3
            b = (b ^ UInt64(truncatingIfNeeded: part.count)) &* 0x0000_0100_0000_01B3
        }
        return String(a, radix: 16) + String(b, radix: 16)
    }

    /// `Lua/idempotency_claim.lua` (its header: what it takes and answers).
    static let script = RedisScript(name: "idempotency_claim", source: LuaSource.text(PackageResources.idempotency_claim_lua))
}

/// Refusals of ``IdempotencyStore``.
public enum IdempotencyError: CodedError, Equatable {
    /// The header is empty, too long or not printable ASCII.
    case invalidKey
    /// The key was used before for a different request.
    case keyReused

    public var code: String {
        switch self {
        case .invalidKey: return "invalid_idempotency_key"
        case .keyReused: return "idempotency_key_reused"
        }
    }

    public var message: String {
        switch self {
        case .invalidKey: return "Idempotency-Key must be 1-128 printable ASCII characters"
        case .keyReused: return "this Idempotency-Key was already used for a different request"
        }
    }
}
