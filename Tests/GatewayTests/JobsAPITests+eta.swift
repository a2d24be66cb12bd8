import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

@testable import APIGateway
@testable import OzhDomain
@testable import OzhQueue

/// A waiting generation's answer carries its estimate under a weak `ETag` that ignores it.
extension JobsAPITests {
    @Test func aQueuedGenerationHasAnETAAndAWeakTagThatIgnoresIt() async throws {
        try await GatewayHarness.withGateway { client, services in
            let id = try await services.queue.enqueue(kind: JobKind.generation.name, queue: "generation", payload: "{}", chatID: 92)
            let first = try await Self.get(client, "/jobs/\(id)")
            let body = Self.json(first.body)
            #expect(first.status == 200 && body["status"] as? String == "queued")
            let eta = try #require(body["eta_seconds"] as? Int, "\(body)")
            #expect(eta >= 0 && body["eta_at"] is String && body["queue_position"] as? Int == 0)
            #expect(Array(body.keys).count == 11, "the seed's fields, queue_position and the two of the estimate: \(body.keys)")
            let tag = try #require(first.headers[.eTag])
            #expect(tag.hasPrefix("W/\"") && tag.hasSuffix("\""), "weak: \(tag)")
            let same = try await Self.get(client, "/jobs/\(id)", ifNoneMatch: tag)
            #expect(same.status == 304 && same.headers[.eTag] == tag)
            // Held with the tag, a long poll is not woken by the estimate moving: 304 when the wait passes.
            let held = try await Self.get(client, "/jobs/\(id)?wait=1.5", ifNoneMatch: tag)
            #expect(held.status == 304)
        }
    }
}
