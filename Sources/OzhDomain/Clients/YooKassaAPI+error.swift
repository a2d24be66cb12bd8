import Foundation

extension YooKassaAPI {
    /// An error answer: `{"type": "error", "id", "code", "description", "parameter"}`; `parameter`
    /// is written as `null` when there is none. Read leniently: every field is nil when missing
    /// or not a string (and the whole body when it is not JSON, see ``read(_:)``).
    public struct ErrorBody: Codable, Sendable, Equatable {
        /// Always `error`.
        public var type: String?
        public var id: String?
        /// `invalid_request`, `invalid_credentials`, `forbidden`, `not_found`, `too_many_requests`, ...
        public var code: String?
        public var description: String?
        /// The request field at fault (`amount.value`, `Idempotence-Key`), if any.
        public var parameter: String?

        public init(type: String? = "error", id: String?, code: String?, description: String?, parameter: String? = nil) {
            self.type = type
            self.id = id
            self.code = code
            self.description = description
            self.parameter = parameter
        }

        enum CodingKeys: String, CodingKey { case type, id, code, description, parameter }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            type = container.lenient(String.self, .type)
            id = container.lenient(String.self, .id)
            code = container.lenient(String.self, .code)
            description = container.lenient(String.self, .description)
            parameter = container.lenient(String.self, .parameter)
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encodeIfPresent(type, forKey: .type)
            try container.encodeIfPresent(id, forKey: .id)
            try container.encodeIfPresent(code, forKey: .code)
            try container.encodeIfPresent(description, forKey: .description)
            if let parameter { try container.encode(parameter, forKey: .parameter) } else { try container.encodeNil(forKey: .parameter) }
        }

        /// An error answer's body, or an empty one when it is not a JSON object.
        public static func read(_ body: Data) -> ErrorBody {
            (try? JSONDecoder().decode(ErrorBody.self, from: body)) ?? ErrorBody(type: nil, id: nil, code: nil, description: nil)
        }
    }
}
