import Foundation
import OzhSupport
import Synchronization

/// Keeps the sandbox's payments and refunds in a JSON file (`SANDBOX_YOOKASSA_STATE_FILE`), so a
/// restart of the local stack does not orphan the payments MongoDB still holds. Each change
/// writes the whole snapshot (atomically: a temporary file, then a rename) on the HTTP thread
/// pool, never on Swift's cooperative pool; a write older than the last one written is skipped.
final class YooKassaStateFile: Sendable {
    let url: URL
    /// The newest version written so far.
    private let written = Mutex(0)

    init(path: String) {
        url = URL(fileURLWithPath: path)
    }

    /// The snapshot in the file; nil when there is none yet. Read once at start-up, before the
    /// server accepts connections (so on the starting thread).
    func load() throws -> YooKassaSnapshot? {
        guard FileManager.default.fileExists(atPath: url.path) else { return nil }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .millisecondsSince1970
        return try decoder.decode(YooKassaSnapshot.self, from: Data(contentsOf: url))
    }

    /// Writes `snapshot` as version `version` in the background.
    func save(_ snapshot: YooKassaSnapshot, version: Int) {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .millisecondsSince1970
        guard let data = try? encoder.encode(snapshot) else { return }
        let url = url
        Task {
            try? await Blocking.run(on: Blocking.http) { [self] in
                try written.withLock { latest in
                    guard version > latest else { return }
                    try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                    try data.write(to: url, options: .atomic)
                    latest = version
                }
            }
        }
    }
}
