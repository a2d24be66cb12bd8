import Foundation
import OzhSupport

extension GeminiAPI {
    /// An error answer: `{"error": {"code", "message", "status", "details"?}}`; `details` is
    /// left out when there are none, as Google does. Read leniently.
    public struct ErrorBody: Codable, Sendable, Equatable {
        public var error: Status

        public init(error: Status) { self.error = error }

        /// An error answer's body, or an empty one when it is not the expected JSON.
        public static func read(_ body: Data) -> ErrorBody {
            (try? JSONDecoder().decode(ErrorBody.self, from: body)) ?? ErrorBody(error: Status(code: nil, message: nil, status: nil))
        }

        enum CodingKeys: String, CodingKey { case error }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            error = container.lenient(Status.self, .error) ?? Status(code: nil, message: nil, status: nil)
        }
    }

    /// `google.rpc.Status`: `{code: 429, message, status: "RESOURCE_EXHAUSTED", details?}`.
    public struct Status: Codable, Sendable, Equatable {
        public var code: Int?
        public var message: String?
        public var status: String?
        public var details: [ErrorDetail]?

        public init(code: Int?, message: String?, status: String?, details: [ErrorDetail]? = nil) {
            self.code = code
            self.message = message
            self.status = status
            self.details = details
        }

        enum CodingKeys: String, CodingKey { case code, message, status, details }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            code = container.lenient(Int.self, .code)
            message = container.lenient(String.self, .message)
            status = container.lenient(String.self, .status)
            details = container.lenient([ErrorDetail].self, .details)
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encodeIfPresent(code, forKey: .code)
            try container.encodeIfPresent(message, forKey: .message)
            try container.encodeIfPresent(status, forKey: .status)
            if let details, !details.isEmpty { try container.encode(details, forKey: .details) }
        }
    }

    /// One of `details`, told apart by `@type`: `ErrorInfo {reason, domain, metadata}`,
    /// `LocalizedMessage {locale, message}`, `QuotaFailure {violations}`, `Help {links}`,
    /// `RetryInfo {retryDelay: "47s"}`. Each kind's fields are declared in Google's order.
    public struct ErrorDetail: Codable, Sendable, Equatable {
        public var type: String?
        public var reason: String?
        public var domain: String?
        public var metadata: JSONStringMap?
        public var locale: String?
        public var message: String?
        public var violations: [QuotaViolation]?
        public var links: [HelpLink]?
        public var retryDelay: String?

        public init(
            type: String?, reason: String? = nil, domain: String? = nil, metadata: JSONStringMap? = nil, locale: String? = nil,
            message: String? = nil, violations: [QuotaViolation]? = nil, links: [HelpLink]? = nil, retryDelay: String? = nil
        ) {
            self.type = type
            self.reason = reason
            self.domain = domain
            self.metadata = metadata
            self.locale = locale
            self.message = message
            self.violations = violations
            self.links = links
            self.retryDelay = retryDelay
        }

        enum CodingKeys: String, CodingKey {
            case type = "@type", reason, domain, metadata, locale, message, violations, links, retryDelay
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            type = container.lenient(String.self, .type)
            reason = container.lenient(String.self, .reason)
            domain = container.lenient(String.self, .domain)
            metadata = container.lenient(JSONStringMap.self, .metadata)
            locale = container.lenient(String.self, .locale)
            message = container.lenient(String.self, .message)
            violations = container.lenient([QuotaViolation].self, .violations)
            links = container.lenient([HelpLink].self, .links)
            retryDelay = container.lenient(String.self, .retryDelay)
        }
    }

    /// A `QuotaFailure` violation: `{quotaMetric, quotaId, quotaDimensions, quotaValue}`.
    public struct QuotaViolation: Codable, Sendable, Equatable {
        public var quotaMetric: String?
        /// `GenerateRequestsPerMinutePerProjectPerModel-FreeTier`, `...PerDay...`.
        public var quotaId: String?
        public var quotaDimensions: JSONStringMap?
        public var quotaValue: String?

        public init(quotaMetric: String?, quotaId: String?, quotaDimensions: JSONStringMap?, quotaValue: String?) {
            self.quotaMetric = quotaMetric
            self.quotaId = quotaId
            self.quotaDimensions = quotaDimensions
            self.quotaValue = quotaValue
        }

        enum CodingKeys: String, CodingKey { case quotaMetric, quotaId, quotaDimensions, quotaValue }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            quotaMetric = container.lenient(String.self, .quotaMetric)
            quotaId = container.lenient(String.self, .quotaId)
            quotaDimensions = container.lenient(JSONStringMap.self, .quotaDimensions)
            quotaValue = container.lenient(String.self, .quotaValue)
        }
    }

    /// A `Help` link: `{description, url}`.
    public struct HelpLink: Codable, Sendable, Equatable {
        public var description: String?
        public var url: String?

        public init(description: String?, url: String?) {
            self.description = description
            self.url = url
        }
    }
}
