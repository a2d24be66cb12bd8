/// One dependency that must answer for a process to be ready (`GET /ready`).
public struct ReadinessCheck: Sendable {
    /// The name `/ready` reports when it does not answer, e.g. `redis`.
    public let name: String
    /// True when the dependency answers now.
    public let probe: @Sendable () async -> Bool

    /// A check named `name` running `probe`.
    public init(name: String, probe: @escaping @Sendable () async -> Bool) {
        self.name = name
        self.probe = probe
    }

    /// Runs `checks` concurrently and returns the names of those that failed, in `checks` order.
    public static func failing(_ checks: [ReadinessCheck]) async -> [String] {
        let results = await withTaskGroup(of: (Int, Bool).self) { group in
            for (index, check) in checks.enumerated() {
                group.addTask { (index, await check.probe()) }
            }
            var ok = [Bool](repeating: false, count: checks.count)
            for await (index, answered) in group { ok[index] = answered }
            return ok
        }
        return zip(checks, results).filter { !$0.1 }.map(\.0.name)
    }
}
