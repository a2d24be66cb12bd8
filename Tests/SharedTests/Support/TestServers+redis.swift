import Foundation
import Testing
@testable import Shared

/// Servers the test run talks to, started by `deploy/local.sh test` and passed by environment.
enum TestServers {
    /// `OZH_TEST_REDIS_URL`, e.g. `redis://127.0.0.1:6390/0`.
    static var redisURL: String {
        get throws {
            guard let url = ProcessInfo.processInfo.environment["OZH_TEST_REDIS_URL"] else {
                throw TestSetupError("OZH_TEST_REDIS_URL is not set: run the suite through deploy/local.sh test")
            }
            return url
        }
    }

    /// `OZH_TEST_MONGO_URI`, e.g. `mongodb://127.0.0.1:27990`.
    static var mongoURI: String {
        get throws {
            guard let uri = ProcessInfo.processInfo.environment["OZH_TEST_MONGO_URI"] else {
                throw TestSetupError("OZH_TEST_MONGO_URI is not set: run the suite through deploy/local.sh test")
            }
            return uri
        }
    }

    /// A Redis client on the shared test server whose keys all start with a fresh prefix.
    static func redis() throws -> (client: RedisClient, prefix: String) {
        let client = try RedisClient(url: try redisURL)
        return (client, "test:\(UUID().uuidString.prefix(8)):")
    }
}

struct TestSetupError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// A free TCP port on the loopback interface.
func freePort() throws -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = 0
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) { pointer in
        pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
    }
    guard bound else { throw TestSetupError("no free port") }
    return Int(UInt16(bigEndian: address.sin_port))
}
