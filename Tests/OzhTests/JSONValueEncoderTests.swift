import Foundation
import Testing

@testable import OzhSupport

@Suite("JSONValueEncoder")
struct JSONValueEncoderTests {
    struct Sample: Encodable {
        var zeta = 1
        var alpha: String? = nil
        var list: [Double] = [1.5, 2]
        var nested = ["only": true]
        var flag = false
        var big: UInt64 = 7
    }

    @Test func keysComeOutInDeclarationOrderAndNilsAreLeftOut() throws {
        #expect(try JSONValueEncoder().encode(Sample()).serialized == #"{"zeta":1,"list":[1.5,2.0],"nested":{"only":true},"flag":false,"big":7}"#)
        var sample = Sample()
        sample.alpha = "a\"b"
        #expect(try JSONValueEncoder().encode(sample).serialized.hasPrefix(#"{"zeta":1,"alpha":"a\"b","#))
        sample.big = .max
        #expect(throws: EncodingError.self) { try JSONValueEncoder().encode(sample) }
        let map: JSONStringMap = ["z": "1", "a": "2"]
        #expect(try JSONValueEncoder().encode(map).serialized == #"{"z":"1","a":"2"}"#)
        #expect(try JSONValueEncoder().encode([map, [:]]).serialized == #"[{"z":"1","a":"2"},{}]"#)
    }
}
