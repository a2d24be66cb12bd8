import Testing

extension Trait where Self == ConditionTrait {
    /// Runs only with the test Redis and MongoDB (`OZH_TEST_REDIS_URL`, `OZH_TEST_MONGO_URI`);
    /// otherwise the suite or test is skipped with a one-line reason.
    public static var needsServers: Self {
        .enabled(if: TestServers.available, "needs Redis and MongoDB (OZH_TEST_REDIS_URL, OZH_TEST_MONGO_URI): run deploy/local.sh test")
    }

    /// Runs only with the test Redis (`OZH_TEST_REDIS_URL`).
    public static var needsRedis: Self {
        .enabled(if: TestServers.redisAvailable, "needs Redis (OZH_TEST_REDIS_URL): run deploy/local.sh test")
    }

    /// Runs only with the test MongoDB (`OZH_TEST_MONGO_URI`).
    public static var needsMongo: Self {
        .enabled(if: TestServers.mongoAvailable, "needs MongoDB (OZH_TEST_MONGO_URI): run deploy/local.sh test")
    }

    /// Runs only with the tools' venv (`OZH_TEST_VENV`); `tool` names what the test runs from it.
    public static func needsVenv(for tool: String) -> Self {
        .enabled(if: TestServers.venvAvailable, "needs \(tool) from OZH_TEST_VENV: run deploy/local.sh test, which installs it")
    }
}
