import Logging

/// A log handler (swift-log's `StreamLogHandler` in the services), with the logger's metadata rendered when a message is
/// written rather than each time it changes.
///
/// `StreamLogHandler` re-renders its metadata string on every change (a `didSet`); the HTTP
/// server gives every request's logger its request id, so at warning level, where nothing is
/// written, the gateway still rendered a string per request (about 3% of its CPU on
/// `GET /jobs/{id}`). Here the metadata is a plain dictionary and is handed, merged with the
/// message's own, to an inner handler that holds none.
public struct DeferredMetadataLogHandler<Inner: LogHandler>: LogHandler {
    var inner: Inner
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider? {
        get { inner.metadataProvider }
        set { inner.metadataProvider = newValue }
    }
    public var logLevel: Logger.Level {
        get { inner.logLevel }
        set { inner.logLevel = newValue }
    }

    /// Writes through `inner` (its own metadata must be empty).
    public init(_ inner: Inner) {
        self.inner = inner
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var event = event
        if !metadata.isEmpty {
            event.metadata = event.metadata.map { metadata.merging($0) { _, explicit in explicit } } ?? metadata
        }
        inner.log(event: event)
    }
}
