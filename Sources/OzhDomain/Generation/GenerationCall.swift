import Foundation
import OzhMongo

/// One Gemini call of a generation, as the job's record keeps it in `calls`.
public struct GenerationCall: Sendable {
    public var slot: String
    public var project: String?
    /// What came back: `image`, `blocked:<reason>`, `429:<quota>`…
    public var outcome: String
    public var latencyMS: Int
    public var at: Date

    public init(slot: String, project: String?, outcome: String, latencyMS: Int, at: Date) {
        self.slot = slot
        self.project = project
        self.outcome = outcome
        self.latencyMS = latencyMS
        self.at = at
    }

    var document: BSON {
        .document([
            "slot": .string(slot), "project": project.map(BSON.string) ?? .null, "outcome": .string(outcome),
            "latency_ms": .int64(Int64(latencyMS)), "at": .date(at),
        ])
    }
}
