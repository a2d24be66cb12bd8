import Foundation
import OzhDomain
import OzhHTTP
import OzhImages
import OzhRedis

// Quota utilisation: C callers (as many workers × jobs) keep a backlog of Gemini calls going
// through the Redis quota limiter against ozh-sandbox (zero latency) for D windows; prints
// successful calls per window against the K·r ceiling, and the sandbox's over-limit count.
// Run with bench/quota.sh.
let env = ProcessInfo.processInfo.environment
let redisURL = env["REDIS_URL"] ?? "redis://127.0.0.1:6379/0"
let sandbox = env["SANDBOX_URL"] ?? "http://127.0.0.1:8090"
let projects = env["BENCH_PROJECTS"].flatMap(Int.init) ?? 3
let rpm = env["BENCH_RPM"].flatMap(Int.init) ?? 10
let windowMS = env["BENCH_WINDOW_MS"].flatMap(Int.init) ?? 5000
let windows = env["BENCH_WINDOWS"].flatMap(Int.init) ?? 6
let callers = env["BENCH_CALLERS"].flatMap(Int.init) ?? 16
let marginMS = env["BENCH_MARGIN_MS"].flatMap(Int.init) ?? 150
let entries = (0..<projects).map { "bench-p\($0):bench-key-\($0)-\(UInt16.random(in: 0...UInt16.max))" }

let redis = try RedisClient(url: redisURL)
let limiter = try QuotaLimiter(
    redis: redis, keyring: GeminiKeyring(entries: entries),
    limits: QuotaLimits(
        rpm: rpm, rpd: 1_000_000, windowLength: .milliseconds(windowMS),
        safetyMargin: .milliseconds(marginMS)),
    prefix: "bench:\(UInt32.random(in: 0...UInt32.max)):")
let http = HTTPClient()
let gemini = GeminiClient(baseURL: sandbox, http: http)
let drawing = try MagickImage.makeImage(width: 32, height: 32, format: .png)
_ = try await http.execute(HTTPRequest(method: "POST", url: "\(sandbox)/_sandbox/reset"))

let duration = Duration.milliseconds(windowMS * windows)
let start = ContinuousClock.now
let counts = try await withThrowingTaskGroup(of: (Int, Int).self) { group in
    for _ in 0..<callers {
        group.addTask {
            var ok = 0, other = 0
            while ContinuousClock.now - start < duration {
                switch try await limiter.acquire(model: "bench") {
                case .granted(let key, _, _):
                    let outcome = try await gemini.generate(model: "bench", prompt: "b", image: drawing, mimeType: "image/png", key: key.secret)
                    if case .image = outcome { ok += 1 } else { other += 1 }
                case .wait(let until, _):
                    let left = duration - (ContinuousClock.now - start)
                    let pause = min(max(until.timeIntervalSinceNow, 0.001), Double(left.components.seconds) + 0.001)
                    try await Task.sleep(for: .milliseconds(Int(pause * 1000)))
                }
            }
            return (ok, other)
        }
    }
    var total = (0, 0)
    for try await (ok, other) in group {
        total.0 += ok
        total.1 += other
    }
    return total
}
let stats = try await http.execute(HTTPRequest(url: "\(sandbox)/_sandbox/gemini/stats"))
let json = (try JSONSerialization.jsonObject(with: stats.body)) as? [String: Any] ?? [:]
let perProject = (json["projects"] as? [String: [String: Any]] ?? [:])
let overLimit = perProject.values.reduce(0) { $0 + ($1["over_limit_attempts"] as? Int ?? 0) }
let maxInWindow = perProject.values.map { $0["max_attempts_in_any_window"] as? Int ?? 0 }.max() ?? 0
let ceiling = projects * rpm * windows
print("projects \(projects) × rpm \(rpm) per \(windowMS) ms window (+\(marginMS) ms margin), \(windows) windows, \(callers) concurrent callers")
print(String(format: "successful calls  %d of a ceiling of %d  (%.1f%% utilisation)", counts.0, ceiling, 100 * Double(counts.0) / Double(ceiling)))
print("other outcomes    \(counts.1)")
print("over-limit calls  \(overLimit) (sandbox 429s); busiest project window: \(maxInWindow) of \(rpm)")
