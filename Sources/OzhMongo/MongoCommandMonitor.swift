import CMongoC
import Foundation

/// libmongoc's command monitoring (APM "command started" events), installed on every
/// ``MongoClient`` pool: each command sent to the server is counted by collection and command
/// name in ``MongoMetrics``. The callback runs on the thread that sends the command (a
/// `Blocking` thread), reads the event's command document only, and never blocks.
enum MongoCommandMonitor {
    /// Installs the callbacks on `pool`, counting into `tally` as well as the metrics; must be
    /// called before the pool's first `pop`. `tally` must outlive the pool (the client owns both).
    static func install(on pool: OpaquePointer, tally: MongoCommandTally) {
        guard let callbacks = mongoc_apm_callbacks_new() else { return }
        defer { mongoc_apm_callbacks_destroy(callbacks) } // the pool keeps a copy
        mongoc_apm_set_command_started_cb(callbacks) { event in
            guard let event else { return }
            let name = mongoc_apm_command_started_get_command_name(event).map { String(cString: $0) } ?? "unknown"
            let collection =
                mongoc_apm_command_started_get_command(event).map {
                    MongoCommandMonitor.collection(of: $0, command: name)
                } ?? "-"
            MongoMetrics.recordCommand(collection: collection, command: name)
            if let context = mongoc_apm_command_started_get_context(event) {
                Unmanaged<MongoCommandTally>.fromOpaque(context).takeUnretainedValue()
                    .record(.init(collection, name))
            }
        }
        mongoc_client_pool_set_apm_callbacks(pool, callbacks, Unmanaged.passUnretained(tally).toOpaque())
    }

    /// The collection a command addresses: the string value of its first field (`find`,
    /// `insert`, `update`, `delete`, `findAndModify`, `aggregate`, `count`, `createIndexes`…),
    /// or the `collection` field of a `getMore`; `-` for commands on no collection (`ping`,
    /// `hello`, `endSessions`).
    private static func collection(of command: OpaquePointer, command name: String) -> String {
        BSONNative.leadingString(in: command, key: name == "getMore" ? "collection" : nil) ?? "-"
    }
}
