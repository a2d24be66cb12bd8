/// The payload of a `generation` job, fixed when the gateway accepts it.
public struct GenerationPayload: Codable, Sendable, Equatable {
    public var chatID: Int64
    /// GridFS id (hex) of the normalised drawing; nil (absent from the JSON) when the drawing
    /// is kept in the job's `generations` record (``GenerationStore/inlineDrawingLimit``).
    public var inputImageID: String?
    public var inputMimeType: String
    public var mainImages: Int
    public var bonusImages: Int

    enum CodingKeys: String, CodingKey {
        case chatID = "chat_id"
        case inputImageID = "input_image_id"
        case inputMimeType = "input_mime_type"
        case mainImages = "main_images"
        case bonusImages = "bonus_images"
    }

    public init(chatID: Int64, inputImageID: String?, inputMimeType: String, mainImages: Int, bonusImages: Int) {
        self.chatID = chatID
        self.inputImageID = inputImageID
        self.inputMimeType = inputMimeType
        self.mainImages = mainImages
        self.bonusImages = bonusImages
    }

    /// Where the drawing is kept.
    public var drawing: StoredDrawing { inputImageID.map(StoredDrawing.gridFS) ?? .inRecord }

    /// The image slots of the job: `main-0`…, then `bonus-0`….
    public var slots: [String] {
        (0..<mainImages).map { "main-\($0)" } + (0..<bonusImages).map { "bonus-\($0)" }
    }
}

/// What a succeeded generation job stores as its result (image ids, not bytes: the gateway
/// expands them into the seed's base64 body when asked).
public struct GenerationResult: Codable, Sendable, Equatable {
    public var mainImageIDs: [String]
    public var bonusImageIDs: [String]
    public var ozhivashkiSpent: Int
    public var newBalance: Int64

    enum CodingKeys: String, CodingKey {
        case mainImageIDs = "main_image_ids"
        case bonusImageIDs = "bonus_image_ids"
        case ozhivashkiSpent = "ozhivashki_spent"
        case newBalance = "new_balance"
    }

    public init(mainImageIDs: [String], bonusImageIDs: [String], ozhivashkiSpent: Int, newBalance: Int64) {
        self.mainImageIDs = mainImageIDs
        self.bonusImageIDs = bonusImageIDs
        self.ozhivashkiSpent = ozhivashkiSpent
        self.newBalance = newBalance
    }
}
