import Foundation
import Testing

@testable import OzhSupport

@Suite("Timestamps and JSON strings")
struct TimestampTests {
    @Test func formatsAsTheSeedDoes() {
        #expect(Timestamp.format(Date(timeIntervalSince1970: 0)) == "1970-01-01T00:00:00.000000")
        #expect(Timestamp.format(Date(timeIntervalSince1970: 1_710_504_000.123456)) == "2024-03-15T12:00:00.123456")
        #expect(Timestamp.format(Date(timeIntervalSince1970: 1_798_761_599.999999)) == "2026-12-31T23:59:59.999999")
        #expect(Timestamp.format(Date(timeIntervalSince1970: -0.5)) == "1969-12-31T23:59:59.500000")
    }

    @Test func jsonStringsAreEscapedOnlyWhereNeeded() {
        func quoted(_ text: String) -> String {
            var out = ""
            JSONValue.quote(text, into: &out)
            return out
        }
        #expect(quoted("plain-id_123") == #""plain-id_123""#)
        #expect(quoted("Оживашки «10»") == #""Оживашки «10»""#)
        #expect(quoted("a\"b\\c\nd\u{01}") == #""a\"b\\c\nd\u0001""#)
        #expect(quoted("line\u{2028}sep — dash") == #""line\u2028sep — dash""#)
        for text in ["", "x", "\"", "\u{1F600}", "tab\there"] {
            let data = Data(quoted(text).utf8)
            #expect((try? JSONSerialization.jsonObject(with: data, options: .fragmentsAllowed)) as? String == text)
        }
    }
}
