import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

@testable import APIGateway
@testable import OzhHTTP
@testable import OzhMongo
@testable import OzhQueue

/// What a refused request must leave as it was: every user and balance, the ledger, the
/// generation records and stored images, and every queue.
struct Footprint: Equatable, CustomStringConvertible {
    var balances: [String]
    var ledgerEntries: Int
    var generations: Int
    var storedImages: Int
    var queues: [String]

    static func of(_ services: GatewayServices) async throws -> Footprint {
        let users = try await services.mongo.collection("users").find([:], projection: ["ozhivashki": 1])
        var queues: [String] = []
        for queue in QueueNames.all {
            let stats = try await services.queue.stats(queue: queue)
            queues.append("\(queue): ready \(stats.ready), delayed \(stats.delayed), processing \(stats.processing), dead \(stats.dead)")
        }
        return Footprint(
            balances: users.map { "\($0["_id"]?.int64Value ?? -1): \($0["ozhivashki"]?.int64Value ?? -1)" }.sorted(),
            ledgerEntries: try await services.mongo.collection("ledger").countDocuments(),
            generations: try await services.mongo.collection("generations").countDocuments(),
            storedImages: try await services.mongo.collection("images.files").countDocuments(),
            queues: queues)
    }

    var description: String {
        "users \(balances), ledger \(ledgerEntries), generations \(generations), images \(storedImages), \(queues)"
    }
}

/// One hostile request and the refusal documented for it in openapi.yaml.
struct HostileCase: Sendable {
    var label: String
    var method: HTTPTypes.HTTPRequest.Method = .post
    var uri: String
    var headers: HTTPFields
    var body: Data?
    var status: Int
    var code: String
}

extension HostileCase {
    /// Sends the case and checks its answer: the exact status, a JSON error body with the
    /// exact code, and a `footprint` unchanged by it.
    func check(_ client: any TestClientProtocol, _ services: GatewayServices, footprint: Footprint) async throws {
        let (got, contentType, body) = try await client.execute(
            uri: uri, method: method, headers: headers, body: body.map { ByteBuffer(data: $0) }
        ) { response in (Int(response.status.code), response.headers[.contentType], Data(response.body.readableBytesView)) }
        let object = (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] ?? [:]
        #expect(got == status, "\(label): status \(got), not \(status): \(String(decoding: body.prefix(300), as: UTF8.self))")
        #expect(contentType?.hasPrefix("application/json") == true, "\(label): a JSON body, not \(contentType ?? "none")")
        #expect(errorCode(object) == code, "\(label): code \(errorCode(object) ?? "none"), not \(code): \(errorMessage(object))")
        let after = try await Footprint.of(services)
        #expect(after == footprint, "\(label) changed nothing: before \(footprint), after \(after)")
    }
}

/// Request bodies for the hostile corpus.
enum HostileBodies {
    static let boundary = "hostile-boundary-7f3a"

    /// A `multipart/form-data` body from raw parts: the Content-Disposition parameters, an
    /// optional part Content-Type, and the bytes.
    static func multipart(_ parts: [(disposition: String, type: String?, data: Data)], boundary: String = boundary) -> Data {
        var out = Data()
        for part in parts {
            out.append(Data("--\(boundary)\r\nContent-Disposition: form-data; \(part.disposition)\r\n".utf8))
            if let type = part.type { out.append(Data("Content-Type: \(type)\r\n".utf8)) }
            out.append(Data("\r\n".utf8))
            out.append(part.data)
            out.append(Data("\r\n".utf8))
        }
        out.append(Data("--\(boundary)--\r\n".utf8))
        return out
    }

    /// The seed's upload: `chat_id` and `image`.
    static func upload(chatID: String, image: Data, filename: String = "drawing.png", type: String = "image/png") -> Data {
        multipart([(#"name="chat_id""#, nil, Data(chatID.utf8)), (#"name="image"; filename="\#(filename)""#, type, image)])
    }

    static var multipartType: String { "multipart/form-data; boundary=\(boundary)" }

    /// A PNG chunk: length, type, data, CRC-32.
    static func pngChunk(_ type: String, _ body: [UInt8]) -> [UInt8] {
        let typed = Array(type.utf8) + body
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in typed {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = (crc >> 1) ^ (0xEDB8_8320 & (0 &- (crc & 1))) }
        }
        return bigEndian(UInt32(body.count)) + typed + bigEndian(crc ^ 0xFFFF_FFFF)
    }

    static func bigEndian(_ value: UInt32) -> [UInt8] { withUnsafeBytes(of: value.bigEndian, Array.init) }

    static let pngSignature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

    /// A PNG whose IHDR declares `width`×`height` (RGB, 8 bits), with a tiny IDAT and IEND.
    static func pngHeader(width: UInt32, height: UInt32, idat: Bool = true) -> Data {
        let ihdr = bigEndian(width) + bigEndian(height) + [8, 2, 0, 0, 0]
        let data = idat ? pngChunk("IDAT", [0x78, 0x9C, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01]) : []
        return Data(pngSignature + pngChunk("IHDR", ihdr) + data + pngChunk("IEND", []))
    }

    /// A JPEG that is only an SOI, a JFIF APP0 and a baseline frame header of `width`×`height`.
    static func jpegHeader(width: UInt16, height: UInt16) -> Data {
        let app0: [UInt8] = [0xFF, 0xE0, 0x00, 0x10] + Array("JFIF".utf8) + [0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00]
        let sof0: [UInt8] = [
            0xFF, 0xC0, 0x00, 0x11, 0x08, UInt8(height >> 8), UInt8(height & 0xFF), UInt8(width >> 8), UInt8(width & 0xFF),
            0x03, 0x01, 0x22, 0x00, 0x02, 0x11, 0x01, 0x03, 0x11, 0x01,
        ]
        return Data([0xFF, 0xD8] + app0 + sof0 + [0xFF, 0xD9])
    }

    /// A one-page PDF document.
    static let pdf = Data(
        """
        %PDF-1.4
        1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj
        2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj
        3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R >> endobj
        4 0 obj << /Length 44 >> stream
        BT /F1 24 Tf 20 100 Td (drawing) Tj ET
        endstream endobj
        xref
        0 5
        0000000000 65535 f
        trailer << /Size 5 /Root 1 0 R >>
        startxref
        0
        %%EOF
        """.utf8)

    /// An SVG that pulls a remote image, a local file and an external entity.
    static let svgWithExternalReferences = Data(
        """
        <?xml version="1.0" standalone="no"?>
        <!DOCTYPE svg [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
        <svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="200" height="200">
          <image xlink:href="http://127.0.0.1:9/steal.png" width="200" height="200"/>
          <image href="file:///etc/hostname" width="10" height="10"/>
          <text>&secret;</text>
        </svg>
        """.utf8)
}
