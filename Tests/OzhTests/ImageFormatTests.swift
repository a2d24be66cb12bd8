import Foundation
import Testing

@testable import OzhImages

@Suite("ImageFormat.sniff")
struct ImageFormatTests {
    @Test func sniffsTheFourFormats() {
        #expect(ImageFormat.sniff(Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0])) == .png)
        #expect(ImageFormat.sniff(Data([0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10])) == .jpeg)
        #expect(ImageFormat.sniff(Data("GIF87a....".utf8)) == .gif)
        #expect(ImageFormat.sniff(Data("GIF89a....".utf8)) == .gif)
        #expect(ImageFormat.sniff(Data("RIFF\u{10}\0\0\0WEBPVP8 ".utf8)) == .webp)
    }

    @Test func rejectsEverythingElse() {
        #expect(ImageFormat.sniff(ImageFixtures.svg) == nil)
        #expect(ImageFormat.sniff(ImageFixtures.mvg) == nil)
        #expect(ImageFormat.sniff(ImageFixtures.pdf) == nil)
        #expect(ImageFormat.sniff(ImageFixtures.text) == nil)
        #expect(ImageFormat.sniff(Data()) == nil)
        #expect(ImageFormat.sniff(Data("RIFF\0\0\0\0WAVE".utf8)) == nil)
        #expect(ImageFormat.sniff(Data([0x89, 0x50, 0x4E, 0x47])) == nil)
        #expect(ImageFormat.sniff(Data("GIF8".utf8)) == nil)
    }

    @Test func namesAndMimeTypes() {
        #expect(ImageFormat.png.mimeType == "image/png")
        #expect(ImageFormat.jpeg.mimeType == "image/jpeg")
        #expect(ImageFormat.webp.mimeType == "image/webp")
        #expect(ImageFormat.gif.mimeType == "image/gif")
        #expect(ImageFormat.allCases.map(\.magickName) == ["PNG", "JPEG", "WEBP", "GIF"])
    }

    @Test func errorCodesAreStable() {
        #expect(ImageError.unsupportedFormat.code == "unsupported_image_format")
        #expect(ImageError.undecodable("x").code == "image_undecodable")
        #expect(ImageError.tooManyPixels(width: 1, height: 1).code == "image_too_large")
        #expect(ImageError.empty.code == "image_empty")
        #expect(ImageError.processingFailed("x").code == "image_processing_failed")
    }

    @Test func limitsArithmetic() {
        let limits = ImageLimits()
        #expect(limits.allows(width: 12_000, height: 3_000))
        #expect(!limits.allows(width: 12_001, height: 10))
        #expect(!limits.allows(width: 8_000, height: 8_000))
        #expect(!limits.allows(width: Int.max, height: Int.max))
        #expect(!limits.allows(width: 0, height: 10))
    }
}
