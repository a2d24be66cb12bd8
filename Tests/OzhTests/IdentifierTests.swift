import OzhSupport
import Testing

/// ``Swift/StringProtocol/isIdentifier(maxLength:)``: the check behind job ids (64) and
/// `MONGO_DB_NAME` (63).
@Suite("Identifiers")
struct IdentifierTests {
    @Test func lettersDigitsDashesAndUnderscoresWithinTheLength() {
        for good in ["a", "Z", "0", "-", "_", "job-42_Ab", String(repeating: "x", count: 64)] {
            #expect(good.isIdentifier(maxLength: 64), "\(good) was refused")
        }
        #expect("abc"[...].isIdentifier(maxLength: 3), "a Substring is checked as well")
    }

    @Test func anythingElseIsRefused() {
        let bad = ["", String(repeating: "x", count: 65), "a b", "a.b", "a/b", "a\n", "é", "ж", "a%20", "$a", "a\u{0}", "🎨"]
        for value in bad {
            #expect(!value.isIdentifier(maxLength: 64), "\(value.debugDescription) was accepted")
        }
        #expect(!"abcd".isIdentifier(maxLength: 3))
    }
}
