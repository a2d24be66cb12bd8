import OzhObservability

extension ReadinessCheck {
    /// Redis answers `PING`.
    public static func redis(_ client: RedisClient) -> ReadinessCheck {
        ReadinessCheck(name: "redis") { (try? await client.send("PING")) != nil }
    }
}
