import HTTPTypes
import Testing

@testable import APIGateway
@testable import OzhDomain
@testable import OzhQueue
@testable import OzhRedis

/// Redis failing under a request is the client's 503 with `Retry-After`, whichever layer
/// wrapped the Redis error: the fault suite caught `POST /generate` answering 500 when Redis
/// was killed during the gateway's quota check (a `QuotaError.redis`).
@Suite("API errors: Redis failures")
struct APIErrorMappingTests {
    static let failures: [RedisError] = [.unavailable("Connection reset by peer"), .timeout]

    @Test(arguments: failures)
    func aRedisFailureIs503WhicheverLayerWrappedIt(_ failure: RedisError) throws {
        let wrapped: [any Error] = [failure, JobQueueError.redis(failure), QuotaError.redis(failure)]
        for error in wrapped {
            let answer = try #require(APIError.from(error), "\(type(of: error)) became a 500")
            #expect(answer.status == .serviceUnavailable && answer.code == failure.code, "\(type(of: error))")
        }
    }

    @Test func aQuotaErrorThatIsNotRedisStaysOurs() {
        #expect(APIError.from(QuotaError.unexpectedReply("day table")) == nil)
    }
}
