import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

@testable import APIGateway
@testable import OzhImages

/// `GET /jobs/{id}/images/{n}?format=jpeg`: Telegram-ready JPEGs, converted once and cached.
extension JobsAPITests {
    @Test func formatJpegConvertsOnceWithItsOwnETagAnd304() async throws {
        try await GatewayHarness.withGateway { client, services in
            let pngs = try [(300, 200, "#ff8800"), (64, 96, "#2266ff")].map {
                try MagickImage.makeImage(width: $0.0, height: $0.1, format: .png, color: $0.2)
            }
            let (id, files) = try await Self.succeededGeneration(services, images: pngs)
            let png = try await Self.get(client, "/jobs/\(id)/images/0")
            let jpeg = try await Self.get(client, "/jobs/\(id)/images/0?format=jpeg")
            #expect(jpeg.status == 200)
            #expect(jpeg.headers[.contentType] == "image/jpeg")
            #expect(jpeg.headers[.cacheControl] == "private, max-age=86400, immutable")
            #expect(ImageFormat.sniff(jpeg.body) == .jpeg)
            let info = try MagickImage.inspect(jpeg.body)
            #expect(info.format == .jpeg && info.width == 300 && info.height == 200)
            let tag = try #require(jpeg.headers[.eTag])
            #expect(tag == "\"\(files[0]).jpeg\"" && tag != png.headers[.eTag], "a tag of its own")
            let same = try await Self.get(client, "/jobs/\(id)/images/0?format=JPG", ifNoneMatch: tag)
            #expect(same.status == 304 && same.body.isEmpty && same.headers[.eTag] == tag)

            // Cached: with GridFS gone behind its back, the converted image is still served, unchanged.
            try await Self.wipeGridFS(services)
            let again = try await Self.get(client, "/jobs/\(id)/images/0?format=jpeg")
            #expect(again.status == 200 && again.body == jpeg.body)
            #expect(try await Self.get(client, "/jobs/\(id)/images/0?format=png").body == pngs[0], "png as stored")

            for bad in ["gif", "webp", "", "jpeg2000"] {
                let (status, body) = try await client.call(.get, "/jobs/\(id)/images/1?format=\(bad)")
                #expect(status == 400 && errorCode(body) == "invalid_image_format", "format=\(bad)")
            }
        }
    }
}
