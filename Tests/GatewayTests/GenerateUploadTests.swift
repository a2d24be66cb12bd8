import Foundation
import TestSupport
import Testing

@testable import APIGateway
@testable import OzhImages

/// Every bad upload gets its 4xx with a JSON error, and costs nothing.
@Suite("Generation uploads", .needsServers)
struct GenerateUploadTests {
    /// A PNG whose header claims 30000×30000 pixels.
    static func pngBomb() -> Data {
        func chunk(_ type: String, _ body: [UInt8]) -> [UInt8] {
            let typed = Array(type.utf8) + body
            var crc: UInt32 = 0xFFFF_FFFF
            for byte in typed {
                crc ^= UInt32(byte)
                for _ in 0..<8 { crc = (crc >> 1) ^ (0xEDB8_8320 & (0 &- (crc & 1))) }
            }
            crc ^= 0xFFFF_FFFF
            let length = UInt32(body.count)
            return withUnsafeBytes(of: length.bigEndian, Array.init) + typed + withUnsafeBytes(of: crc.bigEndian, Array.init)
        }
        let size = withUnsafeBytes(of: UInt32(30000).bigEndian, Array.init)
        let ihdr = size + size + [8, 2, 0, 0, 0]
        return Data(
            [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + chunk("IHDR", ihdr) + chunk("IDAT", [0x78, 0x9C, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01])
                + chunk("IEND", []))
    }

    @Test func badUploadsAreRefusedAndChargeNothing() async throws {
        try await GatewayHarness.withGateway(["MAX_UPLOAD_BYTES": "2000000"]) { client, services in
            #expect(try await client.call(.post, "/users", json: #"{"chat_id": 61}"#).status == 201)
            let png = try MagickImage.makeImage(width: 200, height: 200, format: .png)
            let jpeg = try MagickImage.makeImage(width: 200, height: 200, format: .jpeg)
            let cases: [(String, String?, Data?, String?, Int, String)] = [
                ("no image", "61", nil, nil, 400, "invalid_body"),
                ("no chat_id", nil, png, nil, 400, "invalid_body"),
                ("chat_id not a number", "abc", png, nil, 400, "invalid_chat_id"),
                ("negative chat_id", "-5", png, nil, 400, "invalid_chat_id"),
                ("huge chat_id", "999999999999999999999999", png, nil, 400, "invalid_chat_id"),
                ("0 bytes", "61", Data(), nil, 400, "image_empty"),
                (
                    "svg", "61", Data(#"<svg xmlns="http://www.w3.org/2000/svg"><image href="file:///etc/passwd"/></svg>"#.utf8), nil, 415,
                    "unsupported_image_format"
                ),
                ("pdf", "61", Data("%PDF-1.4\n1 0 obj\n".utf8), nil, 415, "unsupported_image_format"),
                ("text", "61", Data("hello".utf8), nil, 415, "unsupported_image_format"),
                (
                    "mvg", "61", Data("push graphic-context\nviewbox 0 0 10 10\nimage over 0,0 0,0 'file:///etc/passwd'".utf8), nil, 415,
                    "unsupported_image_format"
                ),
                ("truncated png", "61", png.prefix(png.count / 2), nil, 422, "image_undecodable"),
                ("truncated jpeg", "61", jpeg.prefix(jpeg.count / 2), nil, 422, "image_undecodable"),
                ("pixel bomb", "61", Self.pngBomb(), nil, 422, "image_too_large"),
                ("too big", "61", png + Data(count: 2_100_000), nil, 413, ""),
                ("json instead of multipart", "61", png, "application/json", 415, "invalid_content_type"),
            ]
            for (label, chatID, image, contentType, status, code) in cases {
                let (got, body) = try await client.generate(chatID: chatID, image: image, contentType: contentType)
                #expect(got == status, "\(label): \(body)")
                if !code.isEmpty { #expect(errorCode(body) == code, "\(label): \(body)") }
                #expect(errorCode(body) != nil, "\(label) has a JSON error body")
            }
            let (_, user) = try await client.call(.get, "/users/61")
            #expect(user["ozhivashki"] as? Int == 1, "nothing was charged")
            #expect(try await services.queue.stats(queue: "generation").ready == 0, "nothing was queued")
            #expect(try await client.call(.get, "/health").status == 200)
        }
    }
}
