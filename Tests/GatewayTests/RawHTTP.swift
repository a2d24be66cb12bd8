import Foundation
import NIOPosix
import TestSupport

@testable import OzhSupport

/// Bytes over a plain TCP connection, for requests no HTTP client would send (a broken
/// `Content-Length`, 100 KB of headers, raw non-ASCII header bytes). The socket calls block,
/// so they run on `Blocking.http`, never on Swift's cooperative pool.
enum RawHTTP {
    struct Answer {
        var status: Int
        var headers: [String: String]
        var body: Data

        /// The `error.code` of a JSON error body.
        var errorCode: String? {
            let object = (try? JSONSerialization.jsonObject(with: body)) as? [String: Any]
            return (object?["error"] as? [String: Any])?["code"] as? String
        }
    }

    /// Sends `request` to 127.0.0.1:`port` (then half-closes when `halfClose`) and reads the
    /// first response until the server closes the connection or its `Content-Length` is
    /// complete (at most `timeout` seconds of silence).
    static func exchange(
        port: Int, _ request: Data, halfClose: Bool = false, timeout: Int = 10,
        on pool: NIOThreadPool = Blocking.http
    ) async throws -> Answer {
        try await Blocking.run(on: pool) {
            let fd = connectLoopback(port, timeoutSeconds: timeout)
            guard fd >= 0 else { throw TestSetupError("connect to \(port) failed") }
            defer { close(fd) }
            // The server may answer and close before reading everything: a failed send is fine.
            _ = request.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if halfClose { shutdown(fd, Int32(SHUT_WR)) }
            var received = Data()
            var chunk = [UInt8](repeating: 0, count: 65536)
            while true {
                let count = recv(fd, &chunk, chunk.count, 0)
                if count <= 0 { break }
                received.append(contentsOf: chunk[0..<count])
                if let answer = parse(received), answer.body.count >= Int(answer.headers["content-length"] ?? "") ?? Int.max {
                    return answer
                }
            }
            guard let answer = parse(received) else {
                throw TestSetupError("no HTTP response: \(String(decoding: received.prefix(200), as: UTF8.self))")
            }
            return answer
        }
    }

    /// The status line, headers (lower-cased names) and body so far of an HTTP/1.1 response.
    static func parse(_ data: Data) -> Answer? {
        guard let end = data.firstRange(of: Data("\r\n\r\n".utf8)) else { return nil }
        let head = String(decoding: data[data.startIndex..<end.lowerBound], as: UTF8.self).components(separatedBy: "\r\n")
        guard let statusLine = head.first, statusLine.hasPrefix("HTTP/1."), statusLine.count >= 12,
            let status = Int(statusLine.dropFirst(9).prefix(3))
        else { return nil }
        var headers: [String: String] = [:]
        for line in head.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return Answer(status: status, headers: headers, body: Data(data[end.upperBound...]))
    }
}
