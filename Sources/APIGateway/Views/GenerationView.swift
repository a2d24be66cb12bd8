import Foundation
import OzhDomain
import OzhSupport

/// The seed's generation answer (``GenerationDocument``), formatted from images the route read
/// (``GenerationStore/answerImages(jobID:result:)``, which answers retention's deletion as 410).
enum GenerationView {
    static func json(jobID: String, images: GenerationImages) -> JSONValue {
        GenerationDocument.json(jobID: jobID, images: images)
    }
}
