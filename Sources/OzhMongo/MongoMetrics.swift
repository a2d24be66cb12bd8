import OzhObservability

/// MongoDB commands this process sent: `ozh_mongo_commands_total{collection, command}`,
/// counted by libmongoc's command monitoring (``MongoCommandMonitor``), so a request's or a
/// job's round trips can be read off `/metrics` (GridFS shows up as `images.files` and
/// `images.chunks`).
public enum MongoMetrics {
    static let commands = CounterFamily(
        "ozh_mongo_commands_total", "MongoDB commands sent, by collection and command name.",
        labels: ["collection", "command"])

    /// Counts one command.
    static func recordCommand(collection: String, command: String) {
        commands.with(collection, command).increment()
    }
}
