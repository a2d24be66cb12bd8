import Foundation
import HTTPTypes
import Hummingbird
import Logging
import OzhImages

/// `POST /v1beta/models/{model}:generateContent`, checked in Google's order: method, key,
/// body, quota; then the injected faults; then a stylised copy of the input drawing.
struct GeminiRoutes: Sendable {
    static let apiKeyHeader = HTTPField.Name("x-goog-api-key")!

    let state: GeminiState
    let logger: Logger

    func register(on router: Router<SandboxContext>) {
        // The segment is `model:action`; Hummingbird matches whole segments, so split it here.
        router.post("/v1beta/models/{modelAction}") { request, context in
            await generateContent(request, context: context)
        }
    }

    /// Who made a call, for the statistics and the log line.
    private struct Caller {
        var model = "?"
        var key: String? = nil
        var project: String? = nil
    }

    func generateContent(_ request: Request, context: SandboxContext) async -> Response {
        let started = ContinuousClock.now
        var caller = Caller()
        let (response, outcome) = await answer(request, context: context, caller: &caller)
        if let project = caller.project, let key = caller.key, let outcome {
            await state.count(outcome, project: project, key: key)
        } else {
            await state.countRefused()
        }
        let millis = (ContinuousClock.now - started).wholeMilliseconds
        logger.info(
            "gemini \(response.status.code)",
            metadata: [
                "model": "\(caller.model)",
                "project": "\(caller.project.map { $0 == caller.key ? "own" + KeyRedaction.suffix($0) : $0 } ?? "-")",
                "key": "\(caller.key.map(KeyRedaction.suffix) ?? "-")",
                "outcome": "\(outcome.map { "\($0)" } ?? "refused")",
                "ms": "\(millis)",
            ])
        return response
    }

    /// The answer and how to count it (nil: refused before a project was known).
    private func answer(_ request: Request, context: SandboxContext, caller: inout Caller) async -> (Response, GeminiStats.Outcome?) {
        let segment = context.parameters.get("modelAction").map { $0.removingPercentEncoding ?? $0 } ?? ""
        let pieces = segment.split(separator: ":", maxSplits: 1).map(String.init)
        caller.model = pieces.first ?? ""
        guard pieces.count == 2, pieces[1] == "generateContent" else {
            return (GeminiError.notFound("Method not found: models/\(segment). Only generateContent is emulated.").response, nil)
        }
        let model = pieces[0]
        if let models = state.configuration.models, !models.contains(model) {
            let message =
                "models/\(model) is not found for API version v1beta, or is not supported for generateContent. Call ListModels to see the list of available models and their supported methods."
            return (GeminiError.notFound(message).response, nil)
        }
        let key = request.headers[Self.apiKeyHeader] ?? request.uri.queryParameters.get("key")
        guard let key, !key.isEmpty else { return (GeminiError.missingKey.response, nil) }
        caller.key = key
        guard let project = await state.project(of: key) else { return (GeminiError.invalidKey.response, nil) }
        caller.project = project

        let parsed: GeminiRequest
        do {
            parsed = try await Self.read(request, limit: state.configuration.maxBodyBytes, model: model)
        } catch {
            return (error.response, .error)
        }
        switch await state.admit(project: project, key: key) {
        case .failure(let violation):
            return (GeminiError.quotaExceeded(violation, model: model).response, .rateLimited)
        case .success(let plan):
            return await GeminiGeneration.run(plan, for: parsed, model: model)
        }
    }

    /// Reads and validates the body: size, JSON, one candidate, a decodable first image.
    private static func read(_ request: Request, limit: Int, model: String) async throws(GeminiError) -> GeminiRequest {
        var request = request
        let body: Data
        do {
            body = Data(try await request.collectBody(upTo: limit).readableBytesView)
        } catch {
            throw .payloadTooLarge
        }
        let parsed = try GeminiRequest.parse(body)
        if let count = parsed.candidateCount, count > 1 {
            throw .invalidArgument("Multiple candidates is not enabled for models/\(model)")
        }
        if let image = parsed.images.first, ImageFormat.sniff(image.data) == nil {
            throw .unprocessableImage
        }
        return parsed
    }
}
