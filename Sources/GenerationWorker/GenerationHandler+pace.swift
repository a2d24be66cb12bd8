import OzhDomain
import OzhRedis


extension GenerationHandler {
    /// Adds an image's wall time (quota grant, Gemini call, GridFS write) to the pace the
    /// gateway's ETA reads (``GenerationPace``); a failed write costs the job nothing.
    func recordPace(imageSince started: ContinuousClock.Instant) async {
        let elapsed = ContinuousClock.now - started
        let ms = Int(elapsed / .milliseconds(1))
        try? await GenerationPace.recordImage(milliseconds: ms, redis: limiter.redis, prefix: limiter.prefix)
    }
}
