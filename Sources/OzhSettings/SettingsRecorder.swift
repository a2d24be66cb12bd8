import Synchronization

/// Collects the names of the settings a process asks for.
///
/// Handed to a ``SettingsSource`` (or the sandbox's environment reader), it notes every
/// variable looked up, set or not. The deployment tests load ``Settings`` through one to
/// learn which variables the services really read, and compare that with the names the
/// Kubernetes manifests and `docker-compose.yml` set.
public final class SettingsRecorder: Sendable {
    private let names = Mutex<Set<String>>([])

    /// Creates an empty recorder.
    public init() {}

    /// Notes that `variable` was asked for.
    public func record(_ variable: String) {
        _ = names.withLock { $0.insert(variable) }
    }

    /// Every variable asked for so far.
    public var recorded: Set<String> { names.withLock { $0 } }
}
