import CCurl
import OzhSupport
import Synchronization

/// A small HTTP/1.1 and HTTP/2 client on libcurl, safe to share across tasks.
///
/// Each request runs the blocking `curl_easy_perform` on ``Blocking/pool`` (never on the
/// cooperative pool). Easy handles are kept in a free list so keep-alive connections are
/// reused. Non-2xx statuses are responses; only transport failures throw.
public final class HTTPClient: Sendable {
    /// The settings every request of this client uses.
    public let configuration: Configuration
    private let idleHandles = Mutex<[CurlEasy]>([])

    /// `curl_global_init` once per process; Swift runs a static initializer exactly once,
    /// thread-safely, before any handle is created.
    private static let globalInit: Void = {
        _ = curl_global_init(Int(CURL_GLOBAL_ALL))
    }()

    /// Creates a client; no connection is made until the first request.
    public init(configuration: Configuration = .init()) {
        Self.globalInit
        self.configuration = configuration
    }

    /// Sends `request` and returns the response, whatever its status.
    ///
    /// Cancelling the calling task aborts the transfer within about a second (libcurl's
    /// progress callback checks a flag) and throws `CancellationError`.
    /// - Throws: ``HTTPClientError`` for transport failures, `CancellationError` when cancelled.
    public func execute(_ request: HTTPRequest) async throws -> HTTPResponse {
        try Task.checkCancellation()
        let cancel = CancelFlag()
        return try await withTaskCancellationHandler {
            try await Blocking.run(on: Blocking.http) { [self] in
                let easy = try checkOut()
                defer { checkIn(easy) }
                return try easy.perform(request, configuration: configuration, cancel: cancel)
            }
        } onCancel: {
            cancel.cancel()
        }
    }

    /// Takes an idle handle or makes a new one.
    private func checkOut() throws -> CurlEasy {
        if let easy = idleHandles.withLock({ $0.popLast() }) { return easy }
        return try CurlEasy()
    }

    /// Parks `easy` for reuse, or lets it go (closing its connections) when enough are idle.
    private func checkIn(_ easy: CurlEasy) {
        let limit = configuration.maxIdleHandles
        let surplus: CurlEasy? = idleHandles.withLock { idle in
            guard idle.count < limit else { return easy }
            idle.append(easy)
            return nil
        }
        _ = surplus // released here, outside the lock: curl_easy_cleanup may do I/O.
    }
}
