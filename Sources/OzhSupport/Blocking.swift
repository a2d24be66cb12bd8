import Foundation
import NIOCore
import NIOPosix

/// Where blocking C calls (hiredis, libmongoc, libcurl, MagickWand) run.
///
/// Swift's cooperative pool must never block, so every bridge hands its C work to a
/// `NIOThreadPool`. Each library has a pool of its own, so a slow dependency (a MongoDB
/// that takes seconds to answer, a Gemini call that takes a minute) cannot starve the
/// others of threads. Sizes come from `OZH_THREADS_REDIS`, `OZH_THREADS_MONGO`,
/// `OZH_THREADS_HTTP` and `OZH_THREADS_IMAGES`.
public enum Blocking {
    /// hiredis calls (one short command or pipeline per thread at a time).
    public static let redis = makePool("OZH_THREADS_REDIS", default: 16)
    /// libmongoc calls.
    public static let mongo = makePool("OZH_THREADS_MONGO", default: 16)
    /// libcurl transfers (each holds its thread for the whole request).
    public static let http = makePool("OZH_THREADS_HTTP", default: 16)
    /// MagickWand work (CPU-bound: no more threads than cores are useful).
    public static let images = makePool("OZH_THREADS_IMAGES", default: max(2, System.coreCount))

    /// Runs `body` on `pool` and returns its result.
    public static func run<T: Sendable>(
        on pool: NIOThreadPool,
        _ body: @escaping @Sendable () throws -> T
    ) async throws -> T {
        try await pool.runIfActive(body)
    }

    private static func makePool(_ variable: String, default size: Int) -> NIOThreadPool {
        let configured = ProcessInfo.processInfo.environment[variable].flatMap(Int.init) ?? size
        let pool = NIOThreadPool(numberOfThreads: min(256, max(1, configured)))
        pool.start()
        return pool
    }
}
