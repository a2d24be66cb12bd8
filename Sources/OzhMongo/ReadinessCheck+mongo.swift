import OzhObservability

extension ReadinessCheck {
    /// MongoDB answers `{ping: 1}`.
    public static func mongo(_ client: MongoClient) -> ReadinessCheck {
        ReadinessCheck(name: "mongo") { (try? await client.ping()) != nil }
    }
}
