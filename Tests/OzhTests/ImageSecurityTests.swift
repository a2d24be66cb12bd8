import Foundation
import Testing

@testable import OzhImages

@Suite("MagickImage security")
struct ImageSecurityTests {
    static let hostile: [(String, Data)] = [
        ("svg", ImageFixtures.svg), ("mvg", ImageFixtures.mvg),
        ("pdf", ImageFixtures.pdf), ("text", ImageFixtures.text),
    ]

    @Test(arguments: 0..<4)
    func hostileFormatsAreUnsupported(index: Int) {
        let (name, data) = Self.hostile[index]
        #expect(throws: ImageError.unsupportedFormat, "\(name)") {
            try MagickImage.inspect(data, limits: .default)
        }
        #expect(throws: ImageError.unsupportedFormat, "\(name)") {
            try MagickImage.normalize(data, maxSide: 100, limits: .default)
        }
        #expect(throws: ImageError.unsupportedFormat, "\(name)") {
            try MagickImage.stylize(data, variant: 1)
        }
    }

    @Test func policyDeniesScriptAndNetworkCoders() {
        #expect(MagickImage.securityPolicyInstalled)
        for coder in ["MVG", "MSL", "SVG", "TEXT", "LABEL", "URL", "HTTPS", "EPHEMERAL", "PDF", "PS"] {
            #expect(!MagickImage.isCoderReadable(coder), "\(coder)")
        }
        for coder in ["PNG", "JPEG", "GIF", "WEBP"] {
            #expect(MagickImage.isCoderReadable(coder), "\(coder)")
        }
    }

    @Test func resourceLimitsAreSet() {
        #expect(MagickImage.resourceLimit("thread") == 1)
        #expect(MagickImage.resourceLimit("memory") <= 256 << 20)
        #expect(MagickImage.resourceLimit("area") <= 40_000_000)
        #expect(MagickImage.resourceLimit("disk") <= 64 << 20)
    }

    @Test func theSniffedCoderIsForcedNotDetected() throws {
        // GIF bytes read with the PNG coder must fail rather than be auto-detected as GIF.
        let gif = try MagickImage.makeImage(width: 10, height: 10, format: .gif)
        #expect(MagickImage.decodes(gif, as: .gif))
        #expect(!MagickImage.decodes(gif, as: .png))
        #expect(!MagickImage.decodes(gif, as: .jpeg))
    }

    @Test func gifHeaderBombIsRefused() {
        var gif = Array("GIF89a".utf8) + [0xFF, 0xFF, 0xFF, 0xFF, 0x00, 0x00, 0x00]
        gif += [0x2C, 0, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0x00, 0x02, 0x02, 0x44, 0x01, 0x00, 0x3B]
        #expect(throws: ImageError.tooManyPixels(width: 65_535, height: 65_535)) {
            try MagickImage.inspect(Data(gif), limits: .default)
        }
    }

    @Test(arguments: ImageFormat.allCases)
    func headerDimensionsMatchImageMagick(format: ImageFormat) throws {
        let data = try MagickImage.makeImage(width: 333, height: 222, format: format)
        let header = ImageHeader.dimensions(data, format: format)
        #expect(header?.width == 333 && header?.height == 222)
    }

    @Test func polyglotWithPNGMagicAndSVGBodyIsUndecodable() {
        var bytes: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        bytes += Array(ImageFixtures.svg)
        do {
            _ = try MagickImage.normalize(Data(bytes), maxSide: 100, limits: .default)
            Issue.record("polyglot accepted")
        } catch let error as ImageError {
            #expect(error.code == "image_undecodable")
        } catch {
            Issue.record("unexpected \(error)")
        }
    }
}
