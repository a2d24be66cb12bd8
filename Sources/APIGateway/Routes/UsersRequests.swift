import OzhDomain

/// Limits on what the bot may send about a user.
enum UserFieldLimits {
    static let username = 256
    static let advertisingSource = 256
    static let referralCode = 64
    static let maxChatID = Int64.max
}

/// The seed's `POST /users` body.
struct CreateUserRequest: Decodable {
    let chat_id: Int64
    let username: String?
    let referral_code: String?
    let advertising_source: String?

    enum CodingKeys: String, CodingKey { case chat_id, username, referral_code, advertising_source }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        guard container.contains(.chat_id) else { throw APIError.badRequest("invalid_body", "field 'chat_id' is required") }
        do {
            chat_id = try container.decode(Int64.self, forKey: .chat_id)
        } catch {
            // Strings, fractions, null and numbers beyond 64 bits all land here.
            throw APIError.badRequest("invalid_body", "field 'chat_id' must be a positive integer")
        }
        username = try container.decodeIfPresent(String.self, forKey: .username)
        referral_code = try container.decodeIfPresent(String.self, forKey: .referral_code)
        advertising_source = try container.decodeIfPresent(String.self, forKey: .advertising_source)
    }

    /// Checks values the type system cannot.
    func validated() throws -> UserRegistration {
        guard chat_id > 0 else { throw APIError.badRequest("invalid_chat_id", "field 'chat_id' must be a positive integer") }
        try Self.check(username, "username", UserFieldLimits.username)
        try Self.check(referral_code, "referral_code", UserFieldLimits.referralCode)
        try Self.check(advertising_source, "advertising_source", UserFieldLimits.advertisingSource)
        return UserRegistration(
            chatID: chat_id, username: username, referralCode: referral_code,
            advertisingSource: advertising_source)
    }

    static func check(_ value: String?, _ field: String, _ limit: Int) throws {
        guard let value else { return }
        // Code points, not grapheme clusters: one "character" may hold any number of combining marks.
        guard value.unicodeScalars.count <= limit else {
            throw APIError.badRequest("invalid_field", "field '\(field)' is longer than \(limit) characters")
        }
        guard !value.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else {
            throw APIError.badRequest("invalid_field", "field '\(field)' contains control characters")
        }
    }
}

/// `PATCH /users/{chat_id}`: only these fields, each checked for type; `null` clears a text field.
struct PatchUserRequest: Decodable {
    static let allowed: Set<String> = ["username", "advertising_source", "discount_offered"]
    let patch: UserPatch

    struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Key.self)
        if let unknown = container.allKeys.map(\.stringValue).sorted().first(where: { !Self.allowed.contains($0) }) {
            throw APIError.badRequest(
                "field_not_editable",
                "field '\(unknown)' cannot be changed; editable: username, advertising_source, discount_offered")
        }
        guard !container.allKeys.isEmpty else { throw APIError.badRequest("invalid_body", "nothing to change") }
        var patch = UserPatch()
        patch.username = try Self.text(container, "username", UserFieldLimits.username)
        patch.advertisingSource = try Self.text(container, "advertising_source", UserFieldLimits.advertisingSource)
        let flag = Key(stringValue: "discount_offered")
        if container.contains(flag) { patch.discountOffered = try container.decode(Bool.self, forKey: flag) }
        self.patch = patch
    }

    private static func text(_ container: KeyedDecodingContainer<Key>, _ field: String, _ limit: Int) throws -> String?? {
        let key = Key(stringValue: field)
        guard container.contains(key) else { return nil }
        if try container.decodeNil(forKey: key) { return .some(nil) }
        let value = try container.decode(String.self, forKey: key)
        try CreateUserRequest.check(value, field, limit)
        return .some(value)
    }
}
