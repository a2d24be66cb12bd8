import Foundation
import Testing

@testable import OzhHTTP

@Suite("HTTPResponse and header parsing")
struct HTTPResponseTests {
    private func parse(_ lines: [String]) -> [(String, String)] {
        let transfer = CurlTransfer(cancel: CancelFlag())
        for line in lines {
            Array(line.utf8).withUnsafeBytes { transfer.receiveHeaderLine($0) }
        }
        return transfer.headers
    }

    @Test func keepsOnlyTheFinalResponsesHeaders() {
        let headers = parse([
            "HTTP/1.1 100 Continue\r\n", "X-Interim: 1\r\n", "\r\n",
            "HTTP/1.1 200 OK\r\n", "Content-Type: text/plain\r\n", "Set-Cookie: a=1\r\n",
            "Set-Cookie: b=2\r\n", "X-Folded: one\r\n", "  two\r\n", "\r\n",
        ])
        let response = HTTPResponse(status: 200, headers: headers)
        #expect(response.header("x-interim") == nil)
        #expect(response.header("content-type") == "text/plain")
        #expect(response.headers(named: "SET-COOKIE") == ["a=1", "b=2"])
        #expect(response.header("x-folded") == "one two")
    }

    @Test func decodeJSONAndText() throws {
        let response = HTTPResponse(status: 200, body: Data(#"{"id":7}"#.utf8))
        struct Reply: Decodable { var id: Int }
        #expect(try response.decodeJSON(Reply.self).id == 7)
        #expect(response.bodyText == #"{"id":7}"#)
        #expect(throws: DecodingError.self) { try HTTPResponse(status: 200).decodeJSON(Reply.self) }
    }

    @Test func durationsBecomeCurlMilliseconds() {
        #expect(Duration.seconds(10).curlMilliseconds == 10_000)
        #expect(Duration.milliseconds(250).curlMilliseconds == 250)
        #expect(Duration.zero.curlMilliseconds == 1)
        #expect(Duration.microseconds(10).curlMilliseconds == 1)
    }

    @Test func tokensAndValues() {
        #expect(HTTPRequestValidation.isToken("X-Api-Key"))
        #expect(!HTTPRequestValidation.isToken("Bad Name"))
        #expect(!HTTPRequestValidation.isToken("Name:"))
        #expect(!HTTPRequestValidation.isToken(""))
        #expect(HTTPRequestValidation.isSafeValue("Bearer abc"))
        #expect(!HTTPRequestValidation.isSafeValue("a\r\nb"))
    }
}
