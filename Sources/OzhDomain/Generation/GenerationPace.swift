import OzhRedis

/// How fast generations go, measured by the generation workers and read by the gateway for
/// `eta_seconds`: moving averages (EWMA, each new sample weighs ``weight``) of one image's wall
/// time (quota grant, Gemini call, GridFS write) and of the images a job plans, in the hash
/// `<prefix>eta:generation` (fields `image_ms`, `job_images`, `samples`). One small script per
/// image; it never expires (a week of idleness keeps the last pace, which is the best guess).
public struct GenerationPace: Sendable, Equatable {
    /// A moving average of one image's wall time (ms), nil until measured.
    public var imageMS: Double?
    /// A moving average of the images a job plans (main + bonus), nil until measured.
    public var jobImages: Double?

    /// The weight of a new sample.
    public static let weight = 0.2

    public init(imageMS: Double? = nil, jobImages: Double? = nil) {
        self.imageMS = imageMS
        self.jobImages = jobImages
    }

    /// `<prefix>eta:generation`.
    public static func key(prefix: String) -> String { "\(prefix)eta:generation" }

    /// Adds one image's wall time.
    public static func recordImage(milliseconds: Int, redis: RedisClient, prefix: String) async throws(RedisError) {
        try await redis.run(record, keys: [key(prefix: prefix)], arguments: ["image_ms", String(max(0, milliseconds)), String(weight)])
    }

    /// Adds one job's planned images.
    public static func recordJob(images: Int, redis: RedisClient, prefix: String) async throws(RedisError) {
        try await redis.run(record, keys: [key(prefix: prefix)], arguments: ["job_images", String(max(1, images)), String(weight)])
    }

    /// The current averages.
    public static func read(redis: RedisClient, prefix: String) async throws(RedisError) -> GenerationPace {
        let reply = try await redis.send(["HMGET", key(prefix: prefix), "image_ms", "job_images"])
        let values = reply.array?.map { $0.string.flatMap(Double.init) } ?? []
        return GenerationPace(imageMS: values.first ?? nil, jobImages: values.count > 1 ? values[1] : nil)
    }

    /// `Lua/eta.record.lua` (its header: what it takes and answers).
    static let record = RedisScript(name: "eta.record", source: LuaSource.text(PackageResources.eta_record_lua))
}
