import Hummingbird
import OzhQueue
import OzhSupport

extension GatewayServices {
    /// The answer of a job-creating request: when it waits (``SyncWait``: `?wait=S`,
    /// `Prefer: wait=N`, `GENERATE_SYNC_WAIT_S`) and the job ends in time with a body `final`
    /// gives, `200` with that body, the original synchronous service's answer; otherwise the
    /// `202 {job_id, status, status_url}` (with the ETA of a waiting generation). The wait is a
    /// long poll, within `MAX_LONG_POLLS`; `Preference-Applied` says when a preference was honoured.
    func createdAnswer(
        _ jobID: String, wait: SyncWait, client: String?,
        final: (Job) async throws -> JSONValue?
    ) async throws -> Response {
        let (snapshot, waited) = try await waitForSnapshot(jobID, upTo: wait.duration, client: client)
        var response: Response
        if wait.duration != nil, let body = try await final(snapshot.job) {
            response = JSONBody.response(body)
        } else {
            response = JSONBody.response(JobView.accepted(snapshot.job, eta: await eta.estimate(snapshot)), status: .accepted)
        }
        for field in wait.headers(waited: waited) { response.headers.append(field) }
        return response
    }
}
