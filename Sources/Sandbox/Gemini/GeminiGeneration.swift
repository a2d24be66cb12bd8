import Foundation
import Hummingbird
import OzhImages

/// What an accepted call answers, after its injected latency: an injected error, a block,
/// text only, or a stylised copy of the first input image (a plain canvas when none).
enum GeminiGeneration {
    static func run(_ plan: GeminiState.Plan, for request: GeminiRequest, model: String) async -> (Response, GeminiStats.Outcome?) {
        if plan.latencyMs > 0 {
            try? await Task.sleep(for: .milliseconds(plan.latencyMs))
        }
        let tokens = request.promptTokenCount
        if let status = plan.errorStatus {
            return ((status == 500 ? GeminiError.internalError : GeminiError.unavailable).response, .error)
        }
        switch plan.block {
        case .prompt:
            return (SandboxJSON.response(GeminiResponses.promptBlocked(model: model, promptTokens: tokens)), .blocked)
        case .image:
            return (SandboxJSON.response(GeminiResponses.imageBlocked(model: model, promptTokens: tokens)), .blocked)
        case nil:
            break
        }
        if plan.textOnly || !request.wantsImage {
            let body = GeminiResponses.success(image: nil, text: true, model: model, promptTokens: tokens)
            return (SandboxJSON.response(body), .textOnly)
        }
        do {
            let image = try await stylized(request.images.first?.data, variant: plan.variant)
            let body = GeminiResponses.success(image: image, text: request.wantsText, model: model, promptTokens: tokens)
            return (SandboxJSON.response(body), .image)
        } catch {
            return (GeminiError.unprocessableImage.response, .error)
        }
    }

    /// `MagickImage.stylize` on the image thread pool; text-to-image starts from a canvas.
    static func stylized(_ input: Data?, variant: Int) async throws -> Data {
        let source: Data
        if let input {
            source = input
        } else {
            source = try await MagickImage.makeImageAsync(width: 512, height: 512, format: .png, color: "#f3efe6")
        }
        // Start at 1: effect 0 with no hue turn (oil paint) barely changes a flat cartoon drawing.
        return try await MagickImage.stylizeAsync(source, variant: variant + 1, output: .png)
    }
}
