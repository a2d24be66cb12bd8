/// A user's generation operations by job: charged jobs, and the success and refund of each.
struct GenerationOperations {
    var charged = Set<String>()
    /// job → its `generation_success:<job>` operation id.
    var successes: [String: String] = [:]
    /// job → its `generation_refund:<job>` operation id.
    var refunds: [String: String] = [:]

    init<S: Sequence>(_ operations: S) where S.Element == AuditedOperation {
        for operation in operations {
            switch operation.kind {
            case "generation_charge": charged.insert(operation.subject)
            case "generation_success": successes[operation.subject] = operation.id
            case "generation_refund": refunds[operation.subject] = operation.id
            default: break
            }
        }
    }

    /// Whether `job` has a success or a refund.
    func isSettled(_ job: String) -> Bool { successes[job] != nil || refunds[job] != nil }
}
