import Logging
import OzhDomain
import OzhMongo
import OzhQueue

/// The payment worker's second runtime: it takes the `callback` queue's deliveries (every job
/// kind's pushes, see README "Operating the queues"). Deliveries are short HTTP calls with no
/// quota, like the payment jobs, and the worker already reaches MongoDB (a succeeded
/// generation's body carries its images from GridFS); keeping them off the generation worker
/// means a slow receiver never holds a slot that Gemini quota could use.
enum CallbackRuntime {
    /// The runtime, or nil when `JOB_CALLBACK_SECRET` is not set (no callback can be accepted then).
    static func make(queue: JobQueue, mongo: MongoClient, settings callbacks: CallbackSettings, logger: Logger) -> WorkerRuntime? {
        guard !callbacks.secrets.isEmpty else {
            logger.info("JOB_CALLBACK_SECRET is not set: no callback deliveries from this worker")
            return nil
        }
        let deliverer = CallbackDeliverer(queue: queue, generations: GenerationStore(mongo: mongo), settings: callbacks)
        let runtime = WorkerRuntime(
            queue: queue, configuration: .init(queue: QueueNames.callback, concurrency: callbacks.concurrency),
            logger: logger)
        runtime.register(.callback, policy: callbacks.retryPolicy, invalidPayload: CallbackDeliverer.invalidPayload) { context, delivery in
            try await deliverer.handle(context, delivery)
        }
        CallbackMetrics.prepare()
        return runtime
    }
}
