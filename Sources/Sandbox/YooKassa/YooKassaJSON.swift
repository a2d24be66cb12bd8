import Foundation
import OzhSupport

/// Reading control-endpoint bodies (`JSONSerialization` values), and the canonical text of any
/// body under an Idempotence-Key (API bodies themselves are ``YooKassaAPI`` types).
enum YooKassaJSON {
    /// Parses a body into a JSON object, or nil.
    static func object(_ data: Data) -> [String: Any]? {
        (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
    }

    /// Whether a `JSONSerialization` number came from `true`/`false`.
    static func isBool(_ number: NSNumber) -> Bool {
        String(cString: number.objCType) == "c"
    }

    /// The value as a `JSONValue`; object keys sorted, so equal documents serialize equally.
    static func value(_ any: Any) -> JSONValue {
        switch any {
        case let text as String: return .string(text)
        case let number as NSNumber:
            if isBool(number) { return .bool(number.boolValue) }
            let double = number.doubleValue
            if double.rounded() == double, let int = Int64(exactly: double) { return .int(int) }
            return .double(double)
        case let array as [Any]: return .array(array.map(value))
        case let object as [String: Any]: return .object(object.keys.sorted().map { ($0, value(object[$0]!)) })
        default: return .null
        }
    }

    /// A canonical text of a body (sorted keys), to compare two requests under one Idempotence-Key.
    static func fingerprint(_ data: Data) -> String {
        guard let parsed = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]) else {
            return "raw:" + String(decoding: data, as: UTF8.self)
        }
        return value(parsed).serialized
    }

    static func integer(_ value: Any, _ field: String, _ range: ClosedRange<Int>) throws(FaultsError) -> Int {
        guard let number = value as? NSNumber, !isBool(number), let double = Double(exactly: number.doubleValue),
            double.rounded() == double, let int = Int(exactly: double), range.contains(int)
        else {
            throw FaultsError("\(field) must be an integer in \(range.lowerBound)...\(range.upperBound)")
        }
        return int
    }

    static func flag(_ value: Any, _ field: String) throws(FaultsError) -> Bool {
        guard let number = value as? NSNumber, isBool(number) else { throw FaultsError("\(field) must be true or false") }
        return number.boolValue
    }
}
