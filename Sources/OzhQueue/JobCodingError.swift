import OzhSupport

/// A payload or result that could not be written as, or read from, its JSON text.
public struct JobCodingError: CodedError {
    /// Which field of the record.
    public enum Part: String, Sendable {
        case payload, result
    }

    /// Writing or reading.
    public enum Direction: Sendable {
        case encoding, decoding
    }

    /// The kind's name.
    public let kind: String
    /// The payload or the result.
    public let part: Part
    /// Whether it was being written or read.
    public let direction: Direction
    /// The encoder's or decoder's own error (a `DecodingError`, say).
    public let underlying: any Error

    /// Describes a failure of `kind`'s `part`.
    public init(kind: String, part: Part, direction: Direction, underlying: any Error) {
        self.kind = kind
        self.part = part
        self.direction = direction
        self.underlying = underlying
    }

    public var code: String { "job_\(part.rawValue)_\(direction == .encoding ? "unencodable" : "undecodable")" }

    public var message: String {
        "the \(kind) job's \(part.rawValue) cannot be \(direction == .encoding ? "encoded" : "decoded"): \(underlying)"
    }
}
