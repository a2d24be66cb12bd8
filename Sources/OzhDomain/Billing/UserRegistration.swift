/// The seed's `POST /users` body, already validated.
public struct UserRegistration: Sendable {
    public var chatID: Int64
    public var username: String?
    public var referralCode: String?
    public var advertisingSource: String?

    public init(chatID: Int64, username: String?, referralCode: String?, advertisingSource: String?) {
        self.chatID = chatID
        self.username = username
        self.referralCode = referralCode
        self.advertisingSource = advertisingSource
    }

    /// The chat id named by a `ref_<chat_id>` code, if the code has that shape.
    var referrerChatID: Int64? {
        guard let code = referralCode, code.hasPrefix("ref_"), let id = Int64(code.dropFirst(4)), id > 0 else { return nil }
        return id
    }
}

/// The fields the bot may change with `PATCH /users/{chat_id}`; nil leaves a field as it is.
public struct UserPatch: Sendable {
    public var username: String??
    public var advertisingSource: String??
    public var discountOffered: Bool?

    public init(username: String?? = nil, advertisingSource: String?? = nil, discountOffered: Bool? = nil) {
        self.username = username
        self.advertisingSource = advertisingSource
        self.discountOffered = discountOffered
    }
}
