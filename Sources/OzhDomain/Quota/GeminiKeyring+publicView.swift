import Foundation

extension GeminiKeyring {
    /// A keyring of keys known only by their public view (``GeminiKey/init(publicID:label:project:)``),
    /// grouped under `projects` in that order. It cannot call Gemini; it lets the gateway ask
    /// the limiter whether a generation could run.
    public init(publicKeys: [GeminiKey], projects: [String]) {
        var ordered: [GeminiKey] = []
        for project in projects { ordered += publicKeys.filter { $0.project == project } }
        self.keys = ordered
        self.projects = projects
    }

    /// The keyring's public view, as the workers publish it: project → `[{"id", "label"}]` JSON
    /// (ids and labels only, never a secret).
    ///
    /// Encoded with `JSONEncoder`, keys in declaration order (`id`, `label`): `JSONSerialization`'s
    /// `.sortedKeys` compares with the locale's collation, which loads ICU's collation data into
    /// every worker at start-up.
    public var publicView: [String: String] {
        var view: [String: String] = [:]
        for project in projects {
            let entries = keys(of: project).map { PublicEntry(id: $0.id, label: $0.label) }
            let data = (try? JSONEncoder().encode(entries)) ?? Data("[]".utf8)
            view[project] = String(decoding: data, as: UTF8.self)
        }
        return view
    }

    /// One key of ``publicView``.
    private struct PublicEntry: Encodable {
        let id: String
        let label: String
    }

    /// The public keys of `project` read back from a ``publicView`` entry; empty when unreadable.
    public static func publicKeys(of project: String, json: String) -> [GeminiKey] {
        let entries = (try? JSONSerialization.jsonObject(with: Data(json.utf8))) as? [[String: String]] ?? []
        return entries.compactMap { entry in
            guard let id = entry["id"], id.hasPrefix("k-") else { return nil }
            return GeminiKey(publicID: id, label: entry["label"] ?? id, project: project)
        }
    }
}
