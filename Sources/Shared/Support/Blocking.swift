import Foundation
import NIOPosix

/// Where blocking C calls (hiredis, libmongoc, libcurl, MagickWand) run.
///
/// Swift's cooperative pool must never block, so every bridge hands its C work to a
/// `NIOThreadPool`. The shared pool is sized from `OZH_BLOCKING_THREADS` (default 32):
/// each thread can hold one blocking call at a time.
public enum Blocking {
    /// The process-wide pool for blocking C calls.
    public static let pool: NIOThreadPool = {
        let env = ProcessInfo.processInfo.environment["OZH_BLOCKING_THREADS"].flatMap(Int.init) ?? 32
        let pool = NIOThreadPool(numberOfThreads: max(2, env))
        pool.start()
        return pool
    }()

    /// Runs `body` on `pool` (the shared one by default) and returns its result.
    public static func run<T: Sendable>(
        on pool: NIOThreadPool = Blocking.pool,
        _ body: @escaping @Sendable () throws -> T
    ) async throws -> T {
        try await pool.runIfActive(body)
    }
}
