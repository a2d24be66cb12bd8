import HTTPTypes
import Hummingbird
import NIOCore

/// A `GET /jobs/{id}` answer as sent: the JSON body, its strong `ETag`, and whether the job has
/// ended (a long-poll without `If-None-Match` waits for that).
struct JobAnswer: Sendable {
    var body: ByteBuffer
    var etag: String
    var isFinal: Bool

    /// A job's status may change at any moment: caches must revalidate every time.
    static let cacheControl = "no-cache"

    /// 200 with the body, or 304 with no body when the client's `If-None-Match` names the tag.
    func response(ifNoneMatch: String?) -> Response {
        Self.response(
            body: body, etag: etag, contentType: "application/json; charset=utf-8", cacheControl: Self.cacheControl,
            ifNoneMatch: ifNoneMatch)
    }

    /// 200 with `body` and validators, or 304 `Not Modified` (same `ETag` and `Cache-Control`,
    /// no body) when `ifNoneMatch` names `etag`.
    static func response(body: ByteBuffer, etag: String, contentType: String, cacheControl: String, ifNoneMatch: String?) -> Response {
        var headers = HTTPFields()
        headers.reserveCapacity(3)
        headers[.eTag] = etag
        headers[.cacheControl] = cacheControl
        if EntityTag.matches(ifNoneMatch, etag) {
            return Response(status: .notModified, headers: headers)
        }
        headers[.contentType] = contentType
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: body))
    }
}
