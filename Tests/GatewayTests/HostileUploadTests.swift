import Foundation
import HTTPTypes
import TestSupport
import Testing

@testable import APIGateway
@testable import OzhImages

/// Hostile uploads to `POST /generate` beyond GenerateUploadTests' basic ones: each gets the
/// status and code openapi.yaml documents, charges nothing, stores and queues nothing, and the
/// gateway keeps answering. The user has a balance, so a wrongly accepted upload would show.
@Suite("Hostile uploads", .needsServers)
struct HostileUploadTests {
    static let chatID = "501"

    static func post(
        _ label: String, _ body: Data, type: String? = HostileBodies.multipartType, uri: String = "/generate",
        extra: HTTPFields = [:], _ status: Int, _ code: String
    ) -> HostileCase {
        var headers = GatewayHarness.headers(json: false)
        if let type { headers[.contentType] = type }
        headers.append(contentsOf: extra)
        return HostileCase(label: label, uri: uri, headers: headers, body: body, status: status, code: code)
    }

    static func upload(
        _ label: String, _ image: Data, filename: String = "drawing.png", type: String = "image/png",
        _ status: Int, _ code: String
    ) -> HostileCase {
        post(label, HostileBodies.upload(chatID: chatID, image: image, filename: filename, type: type), status, code)
    }

    /// Files that are not what they claim, or claim too much.
    static func fileCorpus(drawing: Data, jpeg: Data) -> [HostileCase] {
        let javascript = Data("<script>alert(document.cookie)</script>".utf8)
        return [
            upload("50 MB body", Data(HostileBodies.pngSignature) + Data(count: 50_000_000), 413, "body_too_large"),
            upload("PNG signature only", Data(HostileBodies.pngSignature), 422, "image_undecodable"),
            upload("PNG header without pixel data", HostileBodies.pngHeader(width: 64, height: 64, idat: false), 422, "image_undecodable"),
            upload("PNG cut after 100 bytes", drawing.prefix(100), 422, "image_undecodable"),
            upload("JPEG start marker only", Data([0xFF, 0xD8, 0xFF]), 422, "image_undecodable"),
            upload("JPEG cut after its header", jpeg.prefix(300), 422, "image_undecodable"),
            upload("JPEG declaring 30000×30000", HostileBodies.jpegHeader(width: 30000, height: 30000), 422, "image_too_large"),
            upload("PNG of 11000×11000 (sides allowed, area not)", HostileBodies.pngHeader(width: 11000, height: 11000), 422, "image_too_large"),
            upload("PNG declaring 2^31×1", HostileBodies.pngHeader(width: 0x8000_0000, height: 1), 422, "image_too_large"),
            upload("GIF declaring 65535×65535", Data(Array("GIF89a".utf8) + [0xFF, 0xFF, 0xFF, 0xFF, 0x00, 0x00, 0x00]), 422, "image_too_large"),
            upload(
                "SVG with external references", HostileBodies.svgWithExternalReferences, filename: "drawing.svg", type: "image/svg+xml",
                415, "unsupported_image_format"),
            upload("SVG sent as image/png", HostileBodies.svgWithExternalReferences, 415, "unsupported_image_format"),
            upload("PDF", HostileBodies.pdf, filename: "drawing.pdf", type: "application/pdf", 415, "unsupported_image_format"),
            upload("PDF with a PNG inside", HostileBodies.pdf + drawing, 415, "unsupported_image_format"),
            upload("GIF/JavaScript polyglot", Data(Array("GIF89a".utf8) + [0x0A, 0x00, 0x0A, 0x00]) + javascript, 422, "image_undecodable"),
            upload("PNG/HTML polyglot", Data(HostileBodies.pngSignature) + Data("<html><body>".utf8) + javascript, 422, "image_undecodable"),
            upload("JPEG/ZIP polyglot", Data([0xFF, 0xD8, 0xFF, 0xE0]) + Data("PK\u{03}\u{04}payload.php".utf8), 422, "image_undecodable"),
            upload("WebP header without a bitstream", Data("RIFF\u{1A}\u{00}\u{00}\u{00}WEBPVP8 ".utf8) + Data(count: 14), 422, "image_undecodable"),
            upload(
                "non-ASCII, 40 KB file name", HostileBodies.pdf, filename: String(repeating: "рисунок-🎨", count: 2000) + ".png",
                415, "unsupported_image_format"),
        ]
    }

    /// Bodies and parts that are not the seed's form, and hostile chat_ids.
    static func formCorpus(drawing: Data) -> [HostileCase] {
        let form = HostileBodies.upload(chatID: chatID, image: drawing)
        let imagePart = (disposition: #"name="image"; filename="d.png""#, type: Optional("image/png"), data: drawing)
        var cases: [HostileCase] = [
            post("multipart without a boundary", form, type: "multipart/form-data", 415, "invalid_content_type"),
            post("multipart/mixed", form, type: "multipart/mixed; boundary=\(HostileBodies.boundary)", 415, "invalid_content_type"),
            post("the image as the whole body", drawing, type: "image/png", 415, "invalid_content_type"),
            post(
                "a urlencoded form", Data("chat_id=\(chatID)&image=iVBORw0KGgo".utf8), type: "application/x-www-form-urlencoded",
                415, "invalid_content_type"),
            post("no Content-Type", form, type: nil, 415, "invalid_content_type"),
            post("a boundary the body does not use", form, type: "multipart/form-data; boundary=other-boundary", 400, "invalid_multipart"),
            post("an empty multipart body", Data(), 400, "invalid_multipart"),
            post("only the closing delimiter", Data("--\(HostileBodies.boundary)--\r\n".utf8), 400, "invalid_multipart"),
            post("a part without a name", HostileBodies.multipart([("filename=\"d.png\"", "image/png", drawing)]), 400, "invalid_body"),
            post(
                "chat_id under a non-ASCII name", HostileBodies.multipart([(#"name="чат_id""#, nil, Data(chatID.utf8)), imagePart]),
                400, "invalid_body"),
            post(
                "chat_id twice",
                HostileBodies.multipart([
                    (#"name="chat_id""#, nil, Data(chatID.utf8)),
                    (#"name="chat_id""#, nil, Data("502".utf8)), imagePart,
                ]), 400, "invalid_body"),
            post(
                "image twice", HostileBodies.multipart([(#"name="chat_id""#, nil, Data(chatID.utf8)), imagePart, imagePart]),
                400, "invalid_body"),
        ]
        for chatID in [
            "0", "-1", "-9223372036854775808", "9223372036854775808", String(repeating: "9", count: 5000), "1e3", "0x1F5",
            "١٢٣", "", "501 502", "5\u{0}01",
        ] {
            cases.append(
                post(
                    "chat_id \(chatID.prefix(24).debugDescription)", HostileBodies.upload(chatID: chatID, image: drawing),
                    400, "invalid_chat_id"))
        }
        return cases
    }

    /// A valid drawing with a bad query or Idempotency-Key: refused before the (valid) upload
    /// could be charged.
    static func parameterCorpus(drawing: Data) -> [HostileCase] {
        let form = HostileBodies.upload(chatID: chatID, image: drawing)
        var cases: [HostileCase] = []
        for wait in ["0", "-1", "61", "nan", "inf", "1e999", "abc", ""] {
            cases.append(post("wait=\(wait)", form, uri: "/generate?wait=\(wait)", 400, "invalid_wait"))
        }
        for key in ["", String(repeating: "k", count: 129), "has space", "tab\there"] {
            cases.append(
                post(
                    "Idempotency-Key \(key.prefix(20).debugDescription)", form, extra: [HTTPField.Name("Idempotency-Key")!: key],
                    400, "invalid_idempotency_key"))
        }
        return cases
    }

    @Test func hostileUploadsAreRefusedAndChargeNothing() async throws {
        try await GatewayHarness.withGateway { client, services in
            #expect(try await client.call(.post, "/users", json: #"{"chat_id": \#(Self.chatID)}"#).status == 201)
            #expect(try await client.call(.post, "/users/\(Self.chatID)/daily_bonus").status == 200, "balance 2: a charge would show")
            let drawing = try await MagickImage.makeImageAsync(width: 240, height: 180, format: .png, color: "#3366ff")
            let jpeg = try await MagickImage.makeImageAsync(width: 240, height: 180, format: .jpeg, color: "#3366ff")
            let footprint = try await Footprint.of(services)
            #expect(footprint.balances == ["\(Self.chatID): 2"])
            for hostile in Self.fileCorpus(drawing: drawing, jpeg: jpeg) + Self.formCorpus(drawing: drawing)
                + Self.parameterCorpus(drawing: drawing)
            {
                try await hostile.check(client, services, footprint: footprint)
            }
            #expect(try await client.call(.get, "/health").status == 200, "the gateway still answers")
            // The same drawing, sent properly, is accepted: the refusals above were about the hostile parts.
            let (status, accepted) = try await client.generate(chatID: Self.chatID, image: drawing)
            #expect(status == 202, "\(accepted)")
            #expect(try await Footprint.of(services).balances == ["\(Self.chatID): 1"], "charged once, for the valid upload")
        }
    }
}
