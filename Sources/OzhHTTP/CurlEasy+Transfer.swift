import Foundation
import Synchronization

/// Set from the Swift task's cancellation handler, read by libcurl's progress callback.
final class CancelFlag: Sendable {
    private let state = Atomic<Bool>(false)

    /// Marks the transfer as cancelled; the next progress callback aborts it.
    func cancel() { state.store(true, ordering: .releasing) }

    /// Whether ``cancel()`` was called.
    var isCancelled: Bool { state.load(ordering: .acquiring) }
}

/// What one transfer collects; libcurl's callbacks reach it through an unretained pointer.
///
/// Only touched by the thread running `curl_easy_perform` (callbacks run on it too).
final class CurlTransfer {
    let cancel: CancelFlag
    var body = Data()
    var headers: [(String, String)] = []

    init(cancel: CancelFlag) {
        self.cancel = cancel
    }

    /// Takes one raw header line as libcurl hands it over (status lines included).
    func receiveHeaderLine(_ bytes: UnsafeRawBufferPointer) {
        var end = bytes.count
        while end > 0, bytes[end - 1] == UInt8(ascii: "\n") || bytes[end - 1] == UInt8(ascii: "\r") {
            end -= 1
        }
        let line = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[..<end]), as: UTF8.self)
        if line.hasPrefix("HTTP/") {
            // A new response starts (after 1xx, a proxy CONNECT reply or a redirect).
            headers.removeAll(keepingCapacity: true)
            return
        }
        guard !line.isEmpty else { return }
        if let first = line.first, first == " " || first == "\t", !headers.isEmpty {
            // Obsolete line folding: continues the previous header's value.
            headers[headers.count - 1].1 += " " + line.trimmingCharacters(in: .whitespaces)
            return
        }
        guard let colon = line.firstIndex(of: ":") else { return }
        let name = String(line[..<colon]).trimmingCharacters(in: .whitespaces)
        let value = String(line[line.index(after: colon)...]).trimmingCharacters(in: .whitespaces)
        headers.append((name, value))
    }
}

/// Checks what goes into the request line and header block, so nothing can inject lines.
enum HTTPRequestValidation {
    private static let tokenExtras = Set("!#$%&'*+-.^_`|~".unicodeScalars)

    /// Whether `text` is a non-empty RFC 9110 token (methods and header names).
    static func isToken(_ text: String) -> Bool {
        !text.isEmpty
            && text.unicodeScalars.allSatisfy {
                $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || tokenExtras.contains($0))
            }
    }

    /// Whether `value` is safe as a header value (no CR, LF or NUL).
    static func isSafeValue(_ value: String) -> Bool {
        !value.unicodeScalars.contains { $0 == "\r" || $0 == "\n" || $0 == "\0" }
    }
}
