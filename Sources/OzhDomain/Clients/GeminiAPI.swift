import Foundation
import OzhSupport

/// Gemini's `generateContent` bodies (`POST /v1beta/models/{model}:generateContent`), declared
/// once for ``GeminiClient``, ``GeminiOutcome`` and the sandbox's emulator.
///
/// Requests are written as the client always wrote them (`inline_data`/`mime_type` in parts,
/// `generationConfig.responseModalities`), answers as Google writes them (lowerCamel:
/// `inlineData`/`mimeType`); both spellings protobuf's JSON mapping accepts are read, and
/// answers are read leniently (a missing or odd field reads as nil, unknown fields are ignored).
/// Written with ``JSONValueEncoder``: keys in declaration order, the same bytes every time.
public enum GeminiAPI {
    /// `value` as compact JSON bytes, keys in declaration order.
    public static func body<T: Encodable>(_ value: T) throws -> Data {
        try JSONValueEncoder().data(value)
    }
}

extension KeyedDecodingContainer where Key == JSONValueKey {
    /// The field named `first` or, when it is missing, `second` (`inlineData` / `inline_data`):
    /// nil when neither is there or the one there is not a `T`.
    func either<T: Decodable>(_ type: T.Type, _ first: String, _ second: String) -> T? {
        let key = contains(JSONValueKey(stringValue: first)) ? first : second
        return lenient(type, JSONValueKey(stringValue: key))
    }

    /// The field named `first` or, when it is missing, `second`, which must then be a `T`
    /// (`null` included: it is not one); nil when neither is there.
    func strictly<T: Decodable>(_ type: T.Type, _ first: String, _ second: String) throws -> T? {
        for name in [first, second] where contains(JSONValueKey(stringValue: name)) {
            return try decode(type, forKey: JSONValueKey(stringValue: name))
        }
        return nil
    }
}
