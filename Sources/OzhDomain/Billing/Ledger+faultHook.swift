import Synchronization

extension Ledger {
    /// A fault-injection point between the user update and its ledger insert, for tests that
    /// stop the process (or MongoDB) at exactly that moment. Nil in every service: nothing sets
    /// it outside the test targets.
    public typealias FaultHook = @Sendable (_ operationID: String) async throws -> Void

    private static let hook = Mutex<FaultHook?>(nil)

    /// Installs (or, with nil, removes) the hook run after each user update.
    public static func setFaultHook(_ newHook: FaultHook?) {
        hook.withLock { $0 = newHook }
    }

    static func afterUserUpdate(_ operationID: String) async throws {
        guard let current = hook.withLock({ $0 }) else { return }
        try await current(operationID)
    }
}
