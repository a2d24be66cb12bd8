import Foundation
import TestSupport

@testable import OzhRedis

extension TestServers {
    /// A Redis client on the shared test server whose keys all start with a fresh prefix.
    static func redis() throws -> (client: RedisClient, prefix: String) {
        let client = try RedisClient(url: try redisURL)
        return (client, "test:\(UUID().uuidString.prefix(8)):")
    }
}
