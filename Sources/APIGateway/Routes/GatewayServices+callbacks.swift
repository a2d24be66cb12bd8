import Foundation
import NIOCore
import OzhDomain
import OzhQueue

extension GatewayServices {
    /// The hash fields of a new job's callback: the request's `callback_url` (else
    /// `JOB_CALLBACK_URL`) and `callback_events` (`progress` adds a push per image), checked
    /// before anything is charged or queued: an http/https URL whose host resolves to public
    /// addresses only, or is listed in `CALLBACK_ALLOWED_HOSTS`; anything else is
    /// `400 invalid_callback_url`. Empty when the job has no callback.
    func callbackFields(url: String?, events: String?) async throws -> [(String, String)] {
        let events = events?.trimmingCharacters(in: .whitespaces).lowercased()
        guard events == nil || events == "" || events == "final" || events == "progress" else {
            throw APIError.badRequest("invalid_callback_events", "callback_events must be 'final' or 'progress'")
        }
        let given = url?.trimmingCharacters(in: .whitespaces)
        guard let text = given.flatMap({ $0.isEmpty ? nil : $0 }) ?? settings.callbacks.defaultURL else { return [] }
        guard !settings.callbacks.secrets.isEmpty else {
            throw APIError.badRequest("invalid_callback_url", "callbacks are not enabled on this service (JOB_CALLBACK_SECRET is not set)")
        }
        let refusal: CallbackURLError?
        do throws(CallbackURLError) {
            _ = try await CallbackTarget.resolve(text, allowedHosts: settings.callbacks.allowedHosts)
            refusal = nil
        } catch {
            refusal = error
        }
        if let refusal { throw APIError.badRequest(refusal.code, refusal.message) }
        var fields = [(JobCallback.Field.url, text)]
        if events == "progress" { fields.append((JobCallback.Field.events, "progress")) }
        return fields
    }
}

extension MultipartForm {
    /// The text of field `name` (trimmed), or nil when the form has none.
    func text(_ name: String) throws -> String? {
        try part(name).map { String(buffer: $0.body).trimmingCharacters(in: .whitespacesAndNewlines) }
    }
}
