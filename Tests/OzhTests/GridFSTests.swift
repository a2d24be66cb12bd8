import Foundation
import TestSupport
import Testing

@testable import OzhMongo

@Suite(.needsMongo) struct GridFSTests {
    @Test func uploadDownloadDelete() async throws {
        try await MongoTestSupport.withClient { client in
            let bucket = client.gridFS(bucket: "media")
            var generator = SystemRandomNumberGenerator()
            let bytes = Data((0..<(3 * 1024 * 1024)).map { _ in UInt8.random(in: 0...255, using: &generator) })
            let id = try await bucket.upload(bytes, filename: "random.bin", metadata: ["owner": "test"])
            let back = try await bucket.download(id)
            #expect(back.count == bytes.count)
            #expect(back == bytes)
            let file = try #require(try await client.collection("media.files").findOne(["_id": .objectId(id)]))
            #expect(file["filename"] == "random.bin")
            #expect(file["metadata"] == ["owner": "test"])
            #expect(file["length"]?.int64Value == Int64(bytes.count))
            try await bucket.delete(id)
            await #expect(throws: MongoError.notFound) { try await bucket.download(id) }
            #expect(try await client.collection("media.chunks").countDocuments(["files_id": .objectId(id)]) == 0)
        }
    }

    @Test func smallAndEmptyFiles() async throws {
        try await MongoTestSupport.withClient { client in
            let bucket = client.gridFS()
            let small = try await bucket.upload(Data("hi".utf8), filename: "hi.txt")
            #expect(try await bucket.download(small) == Data("hi".utf8))
            let empty = try await bucket.upload(Data(), filename: "empty")
            #expect(try await bucket.download(empty).isEmpty)
        }
    }

    @Test func missingFileIsNotFound() async throws {
        try await MongoTestSupport.withClient { client in
            let bucket = client.gridFS()
            await #expect(throws: MongoError.notFound) { try await bucket.download(ObjectId()) }
            await #expect(throws: MongoError.notFound) { try await bucket.delete(ObjectId()) }
        }
    }
}
