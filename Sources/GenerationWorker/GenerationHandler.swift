import OzhDomain
import OzhQueue

/// The `generation` kind's handler: adapts the runtime's ``JobContext`` (a ``GenerationAttempt``:
/// the job, its logger, fencing and progress) to ``GenerationService/run(_:_:engine:)``, which
/// runs the job, settles it and gives the ozhivashka back when it ends failed.
struct GenerationHandler: Sendable {
    let service: GenerationService
    let engine: GenerationService.Engine

    func handle(_ context: JobContext, _ payload: GenerationPayload) async throws -> GenerationResult {
        try await service.run(context, payload, engine: engine)
    }
}
