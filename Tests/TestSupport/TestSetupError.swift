/// A test could not set up what it needs (a server, a port, a process): the test fails with
/// `description` as its reason.
public struct TestSetupError: Error, CustomStringConvertible {
    /// What went wrong, in one line.
    public let description: String

    /// An error saying `description`.
    public init(_ description: String) { self.description = description }
}
