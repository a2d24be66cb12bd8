/// What one retention pass (``GenerationStore/expire(before:now:pageSize:)``) removed.
public struct RetentionReport: Sendable, Equatable {
    /// Records reduced to their tombstone.
    public var records = 0
    /// GridFS files deleted (drawings and generated images).
    public var files = 0
    /// Old records kept because their job is still unsettled (in a user's `active_generations`).
    public var keptUnsettled = 0

    public init(records: Int = 0, files: Int = 0, keptUnsettled: Int = 0) {
        self.records = records
        self.files = files
        self.keptUnsettled = keptUnsettled
    }

    /// True when the pass removed nothing.
    public var isEmpty: Bool { records == 0 && files == 0 }
}
