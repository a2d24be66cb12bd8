/// Where a job's normalized drawing is kept.
public enum StoredDrawing: Sendable, Equatable {
    /// In the job's `generations` record (`input_image`, with `input_image_size`), written by
    /// the same upsert that records the job: no GridFS write, and retention removes it with the
    /// record's content. Drawings up to ``GenerationStore/inlineDrawingLimit``.
    case inRecord
    /// A GridFS file of bucket `images` (its id, hex), for larger drawings and for jobs
    /// accepted before drawings were kept in the record.
    case gridFS(String)

    /// The payload's `input_image_id` for it (nil: in the record).
    public var imageID: String? {
        if case .gridFS(let id) = self { return id }
        return nil
    }
}
