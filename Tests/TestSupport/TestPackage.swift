import Foundation

/// Where the package's files are, found from this file's path (`<root>/Tests/TestSupport/`).
public enum TestPackage {
    /// The package root (where Package.swift is).
    public static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// `<root>/.build/debug`, where `swift build` puts the executables the tests start.
    public static var binDirectory: URL { root.appendingPathComponent(".build/debug") }
}
