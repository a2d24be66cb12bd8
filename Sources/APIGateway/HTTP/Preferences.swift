import Foundation
import HTTPTypes

/// The request's `Prefer` preferences (RFC 7240) the gateway understands: `wait=N` and
/// `respond-async`. Parsed leniently, as §2 asks: several `Prefer` fields and comma-separated
/// lists are one list; names are case-insensitive; whitespace around `=` and values in quotes
/// are accepted; parameters after `;` are ignored; a preference given twice counts the first
/// time only; unknown preferences, and a `wait` whose value is not a whole number of seconds,
/// are ignored (never an error).
struct Preferences: Sendable, Equatable {
    /// `wait=N`: the client would rather wait up to N seconds for the final answer (0 or more).
    var wait: Int?
    /// `respond-async`: the client would rather have the `202` at once.
    var respondAsync = false

    static let prefer = HTTPField.Name("Prefer")!
    static let applied = HTTPField.Name("Preference-Applied")!

    init(wait: Int? = nil, respondAsync: Bool = false) {
        self.wait = wait
        self.respondAsync = respondAsync
    }

    /// The preferences of every `Prefer` field of `headers`.
    init(_ headers: HTTPFields) {
        self.init(values: headers[values: Self.prefer])
    }

    /// The preferences of these `Prefer` field values, in order.
    init(values: [String]) {
        var seen = Set<String>()
        for value in values {
            for item in Self.split(value, on: ",") {
                let head = Self.split(item, on: ";").first ?? ""
                let pair = head.split(separator: "=", maxSplits: 1)
                let name = pair.first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
                guard !name.isEmpty, seen.insert(name).inserted else { continue }
                let raw = pair.count == 2 ? Self.unquoted(pair[1].trimmingCharacters(in: .whitespaces)) : nil
                switch name {
                case "wait":
                    // 1*DIGIT (RFC 7240 §4.3); more digits than an Int holds is "very long".
                    if let raw, !raw.isEmpty, raw.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) { wait = Int(raw) ?? Int.max }
                case "respond-async":
                    respondAsync = true
                default:
                    break
                }
            }
        }
    }

    /// `text` cut at `separator` outside double quotes.
    static func split(_ text: String, on separator: Character) -> [String] {
        var parts: [String] = []
        var current = ""
        var quoted = false
        var escaped = false
        for character in text {
            if escaped {
                escaped = false
            } else if quoted && character == "\\" {
                escaped = true
            } else if character == "\"" {
                quoted.toggle()
            } else if character == separator && !quoted {
                parts.append(current)
                current = ""
                continue
            }
            current.append(character)
        }
        parts.append(current)
        return parts
    }

    /// A quoted-string's content, or the token itself.
    static func unquoted(_ text: String) -> String {
        guard text.count >= 2, text.first == "\"", text.last == "\"" else { return text }
        return String(text.dropFirst().dropLast()).replacingOccurrences(of: "\\", with: "")
    }
}
