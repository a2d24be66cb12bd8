import OzhQueue

/// When a waiting generation will start: a pure function of what the gateway reads about the
/// queue, the workers, their measured pace and the Gemini quota (``QuotaForecast``).
///
/// The job starts when both hold: a worker slot is free for it, and the limiter grants the slot
/// of its first image. Ahead of it are `jobsAhead` jobs (for a queued job its queue position
/// plus the older jobs of the delayed set, which promotion puts back first; for a retrying job
/// the ready list and the older delayed jobs) of ``jobImages`` images each, and the jobs the
/// workers hold, half done on average. Workers: `live × WORKER_CONCURRENCY` slots (at least one
/// worker: KEDA starts one for a backlog), each image ``imageMS``. Quota: the slot after all
/// those images, plus half a heartbeat (a job postponed for quota is promoted by the next
/// maintenance tick), each slot's period lengthened by a quarter heartbeat (the promotion lag,
/// paid about half the time). What bounds it: the averages (a bonus-heavy backlog, slower Gemini), the
/// forecast's own bounds (429s and disabled keys not seen yet), jobs ahead that fail early, and
/// the order among jobs waiting for quota, which is promotion order rather than strict FIFO.
public struct GenerationETA: Sendable, Equatable {
    /// The queue now.
    public var load: QueueLoad
    /// The workers' measured pace.
    public var pace: GenerationPace
    /// The limiter's state, nil when it could not be read (then only the workers bound it).
    public var forecast: QuotaForecast?
    /// `WORKER_CONCURRENCY`.
    public var concurrency: Int
    /// Images a job is assumed to plan until measured (`MAIN_IMAGES`).
    public var defaultJobImages: Int
    /// An image's duration until measured (`ETA_IMAGE_SECONDS`, in ms).
    public var defaultImageMS: Double
    /// How late a postponed job is promoted on average (half the heartbeat, ms).
    public var promotionLagMS: Int64

    public init(
        load: QueueLoad, pace: GenerationPace, forecast: QuotaForecast?, concurrency: Int, defaultJobImages: Int,
        defaultImageMS: Double, promotionLagMS: Int64
    ) {
        self.load = load
        self.pace = pace
        self.forecast = forecast
        self.concurrency = concurrency
        self.defaultJobImages = defaultJobImages
        self.defaultImageMS = defaultImageMS
        self.promotionLagMS = promotionLagMS
    }

    /// Images a job plans (measured, else the default).
    public var jobImages: Double { max(1, pace.jobImages ?? Double(defaultJobImages)) }
    /// One image's duration in ms (measured, else the default).
    public var imageMS: Double { max(1, pace.imageMS ?? defaultImageMS) }
    /// Worker slots: live workers (at least one) × concurrency.
    public var slots: Int { max(1, load.liveWorkers) * max(1, concurrency) }

    /// Milliseconds from the moment these inputs were read until a job with `jobsAhead` jobs
    /// ahead of it starts; nil when the quota grants nothing within its horizon (every key
    /// disabled). `notBefore`: ms from that moment until a retrying job is due at all.
    public func delayMS(jobsAhead: Int, notBefore: Int64 = 0) -> Int64? {
        let slots = self.slots
        let busy = min(max(0, load.busy), slots)
        let ahead = max(0, jobsAhead)
        let images = jobImages
        var quota: Int64 = 0
        if var forecast {
            // Under contention a freed slot is used at once only when a running job asks for it;
            // otherwise by a job promoted at the next maintenance tick: about half the time, so
            // each slot's period grows by half the average lag (bench/eta.sh: 2.1 images/s where
            // the limiter alone allows 2.5).
            forecast.window += promotionLagMS / 2
            let imagesAhead = Double(ahead) * images + Double(busy) * images / 2
            guard let slot = forecast.timeOfSlot(Int(min(imagesAhead.rounded(.up), 1e9)) + 1) else { return nil }
            quota = slot - forecast.now
            if quota > 0 { quota += promotionLagMS }
        }
        let queuedBehind = max(0, ahead + busy + 1 - slots)
        let workers = Int64(min(Double(queuedBehind) * images * imageMS / Double(slots), 1e13))
        return max(quota, workers, notBefore, 0)
    }
}
