/// `{}`: the payload or result of a kind that carries nothing.
public struct EmptyJSON: Codable, Sendable, Equatable {
    /// The empty object.
    public init() {}
}

extension JobCoding where Value == EmptyJSON {
    /// Written as `{}` and read without parsing: whatever the record holds, the handler uses none
    /// of it, and no JSON coder runs per job (the probe's benchmark kinds).
    public static var empty: JobCoding {
        JobCoding(encode: { _ in "{}" }, decode: { _ in EmptyJSON() })
    }
}
