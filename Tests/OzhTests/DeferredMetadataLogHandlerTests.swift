import Logging
import Synchronization
import Testing

@testable import OzhObservability

/// The services' log handler keeps the logger's metadata and hands it over only when a message
/// is written: every line still carries its job and chat ids.
@Suite("Logging: metadata rendered when written")
struct DeferredMetadataLogHandlerTests {
    final class Recorder: Sendable {
        let events = Mutex<[LogEvent]>([])
    }

    struct Recording: LogHandler {
        let recorder: Recorder
        var metadata: Logger.Metadata = [:]
        var metadataProvider: Logger.MetadataProvider?
        var logLevel: Logger.Level = .info
        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }
        func log(event: LogEvent) { recorder.events.withLock { $0.append(event) } }
    }

    @Test func aMessageCarriesTheLoggersMetadataAndItsOwnWhichWins() {
        let recorder = Recorder()
        var logger = Logger(label: "test") { _ in DeferredMetadataLogHandler(Recording(recorder: recorder)) }
        logger[metadataKey: "job_id"] = "j1"
        logger[metadataKey: "chat_id"] = "42"
        logger.info("plain")
        logger.info("own", metadata: ["chat_id": "43", "attempt": "2"])
        logger.debug("below the level")
        let events = recorder.events.withLock { $0 }
        #expect(events.count == 2)
        #expect(events.first?.metadata == ["job_id": "j1", "chat_id": "42"])
        #expect(events.last?.metadata == ["job_id": "j1", "chat_id": "43", "attempt": "2"])
        #expect(logger[metadataKey: "job_id"] == "j1")
        #expect(recorder.events.withLock { $0.allSatisfy { $0.level == .info } })
    }
}
