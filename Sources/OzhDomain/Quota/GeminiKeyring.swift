import Foundation

/// The configured Gemini keys, grouped by project, parsed from `GEMINI_API_KEYS_STR`.
///
/// Each entry is `project:key` or a bare `key`; a bare key is a project of its own named
/// ``GeminiKey/defaultProject(for:)`` (a hash, never the key). Empty entries are dropped and
/// a key listed twice under the same project counts once.
public struct GeminiKeyring: Sendable, Equatable {
    /// Every key, in configuration order.
    public let keys: [GeminiKey]
    /// Project names in order of first appearance.
    public let projects: [String]

    /// Parses entries such as `["proj-a:AIza...", "AIzb..."]`.
    public init(entries: [String]) throws(QuotaError) {
        var keys: [GeminiKey] = []
        var projects: [String] = []
        var projectOfSecret: [String: String] = [:]
        for raw in entries {
            let entry = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !entry.isEmpty else { continue }
            let project: String
            let secret: String
            if let colon = entry.firstIndex(of: ":") {
                project = entry[..<colon].trimmingCharacters(in: .whitespaces)
                secret = entry[entry.index(after: colon)...].trimmingCharacters(in: .whitespaces)
                guard Self.isValidProject(project) else { throw .invalidProjectName(project) }
            } else {
                secret = entry
                project = GeminiKey.defaultProject(for: entry)
            }
            guard !secret.isEmpty else { throw .invalidKeyEntry("an entry for project '\(project)' has no key") }
            guard !secret.contains(where: { $0.isWhitespace }) else {
                throw .invalidKeyEntry("a key of project '\(project)' contains whitespace")
            }
            let key = GeminiKey(secret: secret, project: project)
            if let known = projectOfSecret[secret] {
                guard known == project else { throw .duplicateKey(label: key.label) }
                continue
            }
            projectOfSecret[secret] = project
            keys.append(key)
            if !projects.contains(project) { projects.append(project) }
        }
        self.keys = keys
        self.projects = projects
    }

    /// Parses a comma-separated `GEMINI_API_KEYS_STR` value.
    public init(string: String) throws(QuotaError) {
        try self.init(entries: string.split(separator: ",").map(String.init))
    }

    /// The keys of `project`, in configuration order.
    public func keys(of project: String) -> [GeminiKey] { keys.filter { $0.project == project } }

    /// The key with id `id`.
    public func key(id: String) -> GeminiKey? { keys.first { $0.id == id } }

    /// True when there is no key at all.
    public var isEmpty: Bool { keys.isEmpty }

    /// Project names go into Redis keys and logs: 1-64 of `A-Z a-z 0-9 . _ -`.
    public static func isValidProject(_ name: String) -> Bool {
        !name.isEmpty && name.count <= 64
            && name.unicodeScalars.allSatisfy {
                ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0))) || "._-".unicodeScalars.contains($0)
            }
    }
}
