import Foundation
import OzhMongo
import OzhQueue

/// A succeeded generation's result with its images' bytes, read from GridFS for a view to format.
public struct GenerationImages: Sendable, Equatable {
    /// The job's stored result (image ids, spent, balance).
    public var result: GenerationResult
    /// The main images, in order.
    public var main: [Data]
    /// The bonus images, in order.
    public var bonus: [Data]

    public init(result: GenerationResult, main: [Data], bonus: [Data]) {
        self.result = result
        self.main = main
        self.bonus = bonus
    }
}

extension GenerationStore {
    /// The images of job `jobID`'s `result` (its stored JSON), read in parallel. Throws
    /// ``ImagesExpired`` when retention deleted them.
    public func resultImages(jobID: String, result: String) async throws -> GenerationImages {
        let parsed = try JobKind.generation.decode(result: result)
        do {
            async let mainImages = images(parsed.mainImageIDs)
            async let bonusImages = images(parsed.bonusImageIDs)
            let (main, bonus) = try await (mainImages, bonusImages)
            return GenerationImages(result: parsed, main: main, bonus: bonus)
        } catch MongoError.notFound {
            guard let expired = try await expiredAt(jobID: jobID) else { throw MongoError.notFound }
            throw ImagesExpired(jobID: jobID, at: expired)
        }
    }

    /// The images a view of `job` shows: those of a succeeded generation with a result, else nil
    /// (nothing is read). Throws ``ImagesExpired`` when retention deleted them.
    public func resultImages(of job: Job) async throws -> GenerationImages? {
        guard job.status == .succeeded, job.is(.generation), let result = job.result else { return nil }
        return try await resultImages(jobID: job.id, result: result)
    }

    /// The GridFS files `ids`, read in parallel, in order.
    public func images(_ ids: [String]) async throws -> [Data] {
        try await withThrowingTaskGroup(of: (Int, Data).self) { group in
            for (index, id) in ids.enumerated() { group.addTask { (index, try await image(id)) } }
            var images = [Data](repeating: Data(), count: ids.count)
            for try await (index, data) in group { images[index] = data }
            return images
        }
    }
}
