import Foundation

/// The commands one ``MongoClient`` has sent, by collection and command name: what
/// ``MongoMetrics`` exports process-wide, kept per client so a test (or a benchmark) can count
/// the round trips of one request exactly while other clients are busy.
public final class MongoCommandTally: @unchecked Sendable {
    /// A collection (`-` for none) and a command name (`find`, `insert`, `findAndModify`…).
    public struct Key: Hashable, Sendable, CustomStringConvertible {
        public var collection: String
        public var command: String
        public init(_ collection: String, _ command: String) {
            self.collection = collection
            self.command = command
        }
        public var description: String { "\(collection).\(command)" }
    }

    private let lock = NSLock()
    private var counts: [Key: Int] = [:] // guarded by lock

    init() {}

    func record(_ key: Key) {
        lock.withLock { counts[key, default: 0] += 1 }
    }

    /// The counts so far.
    public var snapshot: [Key: Int] { lock.withLock { counts } }

    /// What was sent since `earlier` (a snapshot of this tally), without zero entries.
    public func since(_ earlier: [Key: Int]) -> [Key: Int] {
        snapshot.reduce(into: [:]) { result, entry in
            let delta = entry.value - (earlier[entry.key] ?? 0)
            if delta != 0 { result[entry.key] = delta }
        }
    }
}
