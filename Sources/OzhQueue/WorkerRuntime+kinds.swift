extension WorkerRuntime {
    /// Handles jobs of `kind` under `policy`: `handler` gets the payload read by the kind's coding
    /// and returns the result it writes (see ``register(kind:policy:handler:)``).
    ///
    /// A payload that cannot be read ends the attempt with `invalidPayload` when given, otherwise
    /// with the decoder's own error (retryable `internal_error`), as a handler reading it would.
    public func register<Payload, Result>(
        _ kind: JobKind<Payload, Result>, policy: RetryPolicy = RetryPolicy(), invalidPayload: JobFailure? = nil,
        handler: @escaping @Sendable (JobContext, Payload) async throws -> Result
    ) {
        register(kind: kind.name, policy: policy) { context in
            let payload: Payload
            do throws(JobCodingError) {
                payload = try kind.decode(payload: context.job.payload)
            } catch {
                if let invalidPayload { throw invalidPayload }
                throw error.underlying
            }
            let result = try await handler(context, payload)
            do throws(JobCodingError) {
                return try kind.encode(result: result)
            } catch {
                throw error.underlying
            }
        }
    }
}
