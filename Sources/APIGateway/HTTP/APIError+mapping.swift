import Hummingbird
import NIOCore
import NIOHTTP1
import OzhDomain
import OzhHTTP
import OzhImages
import OzhMongo
import OzhQueue
import OzhRedis

extension APIError {
    /// The client-facing form of any error a route or middleware threw.
    /// Returns nil for errors that are our fault (answered as a logged 500).
    static func from(_ error: any Error) -> APIError? {
        switch error {
        case let error as APIError:
            return error
        case let error as BillingError:
            switch error {
            case .userNotFound: return APIError(.notFound, error.code, error.message)
            case .userExists, .dailyBonusAlreadyClaimed, .alreadySettled: return APIError(.conflict, error.code, error.message)
            case .insufficientBalance: return APIError(.init(code: 402, reasonPhrase: "Payment Required"), error.code, error.message)
            case .contention: return APIError(.serviceUnavailable, error.code, error.message, headers: [.retryAfter: "1"])
            case .tooManyJobs: return APIError(.tooManyRequests, error.code, error.message, headers: [.retryAfter: "10"])
            }
        case let error as ImageError:
            switch error {
            case .unsupportedFormat: return APIError(.unsupportedMediaType, error.code, error.message)
            case .empty: return APIError(.badRequest, error.code, error.message)
            case .undecodable, .tooManyPixels, .processingFailed:
                return APIError(.init(code: 422, reasonPhrase: "Unprocessable Content"), error.code, error.message)
            }
        case let error as IdempotencyError:
            return APIError(error == .invalidKey ? .badRequest : .conflict, error.code, error.message)
        case let error as JobQueueError where error.code == "redis_unavailable" || error.code == "redis_timeout":
            return APIError(.serviceUnavailable, error.code, "Redis is unavailable; retry later", headers: [.retryAfter: "2"])
        case let error as RedisError where error.code == "redis_unavailable" || error.code == "redis_timeout":
            return APIError(.serviceUnavailable, error.code, "Redis is unavailable; retry later", headers: [.retryAfter: "2"])
        // The gateway's quota check (`POST /generate`) reads Redis through the limiter.
        case let error as QuotaError where error.code == "redis_unavailable" || error.code == "redis_timeout":
            return APIError(.serviceUnavailable, error.code, "Redis is unavailable; retry later", headers: [.retryAfter: "2"])
        case let error as MongoError where error.code == "mongo_unavailable":
            return APIError(.serviceUnavailable, error.code, "MongoDB is unavailable; retry later", headers: [.retryAfter: "2"])
        case is NIOTooManyBytesError:
            return APIError(.contentTooLarge, "body_too_large", "the request body is larger than allowed")
        case is HTTPParserError:
            // The body broke off while a route read it: a bad chunk, the connection closed early.
            return APIError(.badRequest, "bad_request", "the request is not valid HTTP/1.1")
        case let error as HTTPError:
            return APIError(error.status, Self.code(for: error.status), error.body ?? error.status.reasonPhrase)
        default:
            return nil
        }
    }

    private static func code(for status: HTTPResponse.Status) -> String {
        switch status.code {
        case 400: return "bad_request"
        case 404: return "not_found"
        case 405: return "method_not_allowed"
        case 413: return "body_too_large"
        case 415: return "unsupported_media_type"
        default: return "http_\(status.code)"
        }
    }
}
