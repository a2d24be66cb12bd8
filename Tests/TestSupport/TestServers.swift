import Foundation

/// The servers and tools a test run talks to, which `deploy/local.sh test` starts and passes
/// by environment: `OZH_TEST_REDIS_URL`, `OZH_TEST_MONGO_URI`, `OZH_TEST_VENV`,
/// `OZH_TEST_SECANTUS`. Suites that need them carry ``needsServers`` (or its narrower
/// siblings) and are skipped when a plain `swift test` runs without them.
public enum TestServers {
    /// `OZH_TEST_REDIS_URL` (e.g. `redis://127.0.0.1:6390/0`), or nil when not set.
    public static let redisURLIfSet = value("OZH_TEST_REDIS_URL")
    /// `OZH_TEST_MONGO_URI` (e.g. `mongodb://127.0.0.1:27990`), or nil when not set.
    public static let mongoURIIfSet = value("OZH_TEST_MONGO_URI")
    /// `OZH_TEST_VENV`: the Python venv with schemathesis, check-jsonschema,
    /// kubernetes-validate and standardwebhooks, or nil when not set.
    public static let venv = value("OZH_TEST_VENV")

    /// Whether a test Redis is given.
    public static var redisAvailable: Bool { redisURLIfSet != nil }
    /// Whether a test MongoDB (or SecantusDB) is given.
    public static var mongoAvailable: Bool { mongoURIIfSet != nil }
    /// Whether both the test Redis and MongoDB are given.
    public static var available: Bool { redisAvailable && mongoAvailable }
    /// Whether the venv is given. A venv given but lacking a tool fails the test that runs it
    /// (it is not skipped): with the variables set, nothing may be skipped.
    public static var venvAvailable: Bool { venv != nil }

    /// The test Redis URL, or a thrown ``TestSetupError`` naming the variable.
    public static var redisURL: String {
        get throws {
            guard let url = redisURLIfSet else {
                throw TestSetupError("OZH_TEST_REDIS_URL is not set: run the suite through deploy/local.sh test")
            }
            return url
        }
    }

    /// The test MongoDB URI, or a thrown ``TestSetupError`` naming the variable.
    public static var mongoURI: String {
        get throws {
            guard let uri = mongoURIIfSet else {
                throw TestSetupError("OZH_TEST_MONGO_URI is not set: run the suite through deploy/local.sh test")
            }
            return uri
        }
    }

    /// The SecantusDB launcher: `OZH_TEST_SECANTUS`, else the repository's `.venv/bin/secantusd-py`.
    public static var secantusBinary: String {
        value("OZH_TEST_SECANTUS") ?? TestPackage.root.appendingPathComponent(".venv/bin/secantusd-py").path
    }

    /// A non-empty environment variable.
    private static func value(_ name: String) -> String? {
        guard let value = ProcessInfo.processInfo.environment[name], !value.isEmpty else { return nil }
        return value
    }
}
