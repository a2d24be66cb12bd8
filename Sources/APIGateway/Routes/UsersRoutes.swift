import Foundation
import Hummingbird
import OzhDomain
import OzhSupport

/// `/users`: registration, reads, the bot's edits, the daily bonus and the ledger.
struct UsersRoutes: Sendable {
    let services: GatewayServices
    var users: UserService { services.users }
    var bodyLimit: Int { services.settings.gateway.maxJSONBodyBytes }

    func register(on router: Router<GatewayContext>) {
        router.post("/users") { request, _ in try await create(request) }
        router.get("/users/{chat_id}") { _, context in try await show(context) }
        router.patch("/users/{chat_id}") { request, context in try await update(request, context) }
        router.post("/users/{chat_id}/daily_bonus") { _, context in try await dailyBonus(context) }
        router.get("/users/{chat_id}/ledger") { request, context in try await ledger(request, context) }
    }

    private func create(_ request: Request) async throws -> Response {
        let registration = try await JSONBody.decode(CreateUserRequest.self, from: request, limit: bodyLimit).validated()
        let now = Date.nowMillis
        let user = try await users.register(registration, now: now)
        return JSONBody.response(UserView(user, calendar: users.calendar, now: now).json, status: .created)
    }

    private func show(_ context: GatewayContext) async throws -> Response {
        let now = Date.nowMillis
        let user = try await users.read(try Self.chatID(context), now: now)
        return JSONBody.response(UserView(user, calendar: users.calendar, now: now).json)
    }

    private func update(_ request: Request, _ context: GatewayContext) async throws -> Response {
        let chatID = try Self.chatID(context)
        let patch = try await JSONBody.decode(PatchUserRequest.self, from: request, limit: bodyLimit).patch
        let now = Date.nowMillis
        let user = try await users.update(chatID, patch, now: now)
        return JSONBody.response(UserView(user, calendar: users.calendar, now: now).json)
    }

    private func dailyBonus(_ context: GatewayContext) async throws -> Response {
        let now = Date.nowMillis
        let user = try await users.claimDailyBonus(try Self.chatID(context), now: now)
        return JSONBody.response(UserView(user, calendar: users.calendar, now: now).json)
    }

    private func ledger(_ request: Request, _ context: GatewayContext) async throws -> Response {
        let chatID = try Self.chatID(context)
        var limit = 50
        if let text = request.uri.queryParameters.get("limit") {
            guard let value = Int(text), (1...500).contains(value) else {
                throw APIError.badRequest("invalid_limit", "query 'limit' must be a whole number from 1 to 500")
            }
            limit = value
        }
        let user = try await users.touch(chatID, now: Date.nowMillis)
        let entries = try await users.ledger.entries(chatID: chatID, limit: limit)
        return JSONBody.response(
            .object([
                ("chat_id", .int(chatID)), ("ozhivashki", .int(user.ozhivashki)), ("entries", .array(entries.map(LedgerEntryView.json))),
            ]))
    }

    /// The `{chat_id}` path parameter: a positive 64-bit integer.
    static func chatID(_ context: GatewayContext) throws -> Int64 {
        let text = context.parameters.get("chat_id") ?? ""
        guard text.count <= 19, text.allSatisfy(\.isASCII), let value = Int64(text), value > 0 else {
            throw APIError.badRequest("invalid_chat_id", "chat_id must be a positive integer")
        }
        return value
    }
}
