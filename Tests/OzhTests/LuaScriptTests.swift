import Foundation
import TestSupport
import Testing

@testable import OzhDomain
@testable import OzhQueue
@testable import OzhRedis

/// Every Lua script of the project, as it is sent to Redis, compiles there: `SCRIPT LOAD`
/// on the real test server (a syntax error is an error reply, and the test fails).
@Suite("Lua scripts")
struct LuaScriptTests {
    /// Every ``RedisScript`` in `Sources` (a new one belongs here).
    static let all: [RedisScript] = [
        JobQueueScripts.enqueue, JobQueueScripts.markProcessing, JobQueueScripts.complete, JobQueueScripts.fail,
        JobQueueScripts.postpone, JobQueueScripts.release, JobQueueScripts.completeAndTake, JobQueueScripts.take,
        JobQueueScripts.load, JobQueueScripts.promoteDue, JobQueueScripts.heartbeat, JobQueueScripts.recoverDeadWorkers,
        JobQueueScripts.retire, JobQueueScripts.reclaimOrphans, JobQueueScripts.requeueDead, JobQueueScripts.purgeDead,
        JobQueueScripts.setProgress, JobQueueScripts.position, JobQueueScripts.snapshot, JobQueueScripts.recordCallback,
        QuotaScripts.acquire, QuotaScripts.status, QuotaScripts.release, QuotaScripts.coolDown, QuotaScripts.forecast,
        IdempotencyStore.script, GenerationPace.record,
    ]

    @Test(.needsRedis, arguments: all.map(\.name))
    func compilesInRedis(_ name: String) async throws {
        let script = try #require(Self.all.first { $0.name == name })
        let redis = try RedisClient(url: try TestServers.redisURL)
        let reply = try await redis.send(["SCRIPT", "LOAD", script.source])
        if case .error(let text) = reply { Issue.record("\(name) does not compile: \(text)") }
        let digest = try #require(reply.string, "\(name): SCRIPT LOAD answered \(reply)")
        #expect(digest.count == 40 && digest.allSatisfy(\.isHexDigit), "\(name): \(digest)")
    }

    /// Each file of a module's `Lua` folder (`Sources/Ozh*/Lua`) is part of a script above (so the
    /// list is complete), and each script whose file is `<name>.lua` ends with that file's text.
    @Test func everyLuaFileIsInAScript() throws {
        let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../Sources").standardizedFileURL
        let directories = try FileManager.default.contentsOfDirectory(atPath: sources.path)
            .map { sources.appendingPathComponent($0).appendingPathComponent("Lua") }
            .filter { FileManager.default.fileExists(atPath: $0.path) }
        let files = try directories.flatMap { directory in
            try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".lua") }
                .map { directory.appendingPathComponent($0) }
        }
        #expect(directories.count == 3, "Lua folders: \(directories.map(\.path))")
        #expect(files.count >= Self.all.count)
        for url in files {
            let file = url.lastPathComponent
            let text = LuaSource.text(Array(try Data(contentsOf: url)))
            let parts = text.components(separatedBy: "{{snapshot_fields}}")
            #expect(Self.all.contains { script in parts.allSatisfy { script.source.contains($0) } }, "\(file) is in no script")
            if let script = Self.all.first(where: { $0.name + ".lua" == file }), parts.count == 1 {
                #expect(script.source.hasSuffix(text), "\(script.name) is not its file")
            }
        }
    }

    @Test func namesAreUnique() {
        #expect(Set(Self.all.map(\.name)).count == Self.all.count)
    }
}
