import Foundation
import Testing

@testable import OzhImages

@Suite("MagickImage", .serialized)
struct ImageTests {
    @Test(arguments: ImageFormat.allCases)
    func makeImageThenInspect(format: ImageFormat) throws {
        let data = try MagickImage.makeImage(width: 320, height: 200, format: format)
        #expect(ImageFormat.sniff(data) == format)
        #expect(try MagickImage.inspect(data, limits: .default) == ImageInfo(format: format, width: 320, height: 200))
    }

    @Test func emptyDataIsEmpty() {
        #expect(throws: ImageError.empty) { try MagickImage.inspect(Data(), limits: .default) }
        #expect(throws: ImageError.empty) { try MagickImage.normalize(Data(), maxSide: 100, limits: .default) }
    }

    @Test func normalizeShrinksLargeJPEG() throws {
        let jpeg = try MagickImage.makeImage(width: 3000, height: 2000, format: .jpeg)
        let (data, info) = try MagickImage.normalize(jpeg, maxSide: 1024, limits: .default)
        #expect(ImageFormat.sniff(data) == .png)
        #expect(info.format == .png)
        #expect(info.width == 1024)
        #expect(abs(info.height - 683) <= 1)
        #expect(try MagickImage.inspect(data, limits: .default) == info)
    }

    @Test func normalizeNeverUpscales() throws {
        let png = try MagickImage.makeImage(width: 120, height: 80, format: .png)
        let (_, info) = try MagickImage.normalize(png, maxSide: 1024, limits: .default)
        #expect(info == ImageInfo(format: .png, width: 120, height: 80))
    }

    @Test(arguments: ImageFormat.allCases)
    func normalizeOutputsTheRequestedFormat(output: ImageFormat) throws {
        let input = try MagickImage.makeImage(width: 500, height: 300, format: .png)
        let (data, info) = try MagickImage.normalize(input, maxSide: 250, output: output, limits: .default)
        #expect(ImageFormat.sniff(data) == output)
        #expect(info == ImageInfo(format: output, width: 250, height: 150))
    }

    @Test func normalizeAppliesAndStripsEXIFOrientation() throws {
        let jpeg = try MagickImage.makeImage(width: 400, height: 200, format: .jpeg, orientation: 6)
        #expect(try MagickImage.orientation(of: jpeg) == 6)
        #expect(try MagickImage.profileNames(of: jpeg).contains("exif"))
        let (data, info) = try MagickImage.normalize(jpeg, maxSide: 1024, output: .jpeg, limits: .default)
        #expect(info.width == 200 && info.height == 400)
        #expect([0, 1].contains(try MagickImage.orientation(of: data)))
        #expect(try MagickImage.profileNames(of: data).isEmpty)
    }

    @Test func gifBecomesItsFirstFramePNG() throws {
        let gif = try MagickImage.makeAnimatedGIF(frames: [
            (60, 40, "red"), (30, 20, "blue"), (20, 10, "green"),
        ])
        #expect(ImageFormat.sniff(gif) == .gif)
        #expect(try MagickImage.frameCount(of: gif) == 3)
        let (data, info) = try MagickImage.normalize(gif, maxSide: 1024, limits: .default)
        #expect(info == ImageInfo(format: .png, width: 60, height: 40))
        #expect(try MagickImage.frameCount(of: data) == 1)
    }

    @Test func aPlainPNGThatFitsIsKeptByteForByte() throws {
        let plain = ImageFixtures.plainPNG(width: 40, height: 30)
        #expect(PNGLayout.plainHeader(plain)! == (40, 30))
        let (data, info) = try MagickImage.normalize(plain, maxSide: 1024, limits: .default)
        #expect(data == plain, "re-encoded: \(plain.count) -> \(data.count) bytes")
        #expect(info == ImageInfo(format: .png, width: 40, height: 30))
        // Asked for another format, or too large for maxSide, it is normalised as before.
        let jpeg = try MagickImage.normalize(plain, maxSide: 1024, output: .jpeg, limits: .default)
        #expect(ImageFormat.sniff(jpeg.data) == .jpeg)
        let shrunk = try MagickImage.normalize(plain, maxSide: 20, limits: .default)
        #expect(shrunk.info == ImageInfo(format: .png, width: 20, height: 15))
        #expect(shrunk.data != plain)
        #expect(throws: ImageError.tooManyPixels(width: 40, height: 30)) {
            try MagickImage.normalize(plain, maxSide: 1024, limits: ImageLimits(maxPixels: 1000))
        }
    }

    @Test func aPNGWithMetadataOrAnUnusualLayoutIsReencoded() throws {
        let text = Array("Comment".utf8) + [0] + Array("made by a parent's phone".utf8)
        let cases: [(String, Data)] = [
            ("tEXt", ImageFixtures.plainPNG(extra: [("tEXt", text)])),
            ("gAMA", ImageFixtures.plainPNG(extra: [("gAMA", ImageFixtures.bigEndian(45_455))])),
            ("private chunk", ImageFixtures.plainPNG(extra: [("prVt", [1, 2, 3])])),
            ("bytes after IEND", ImageFixtures.plainPNG() + Data([0, 1, 2, 3])),
        ]
        for (name, png) in cases {
            #expect(PNGLayout.plainHeader(png) == nil, "\(name)")
            let (data, info) = try MagickImage.normalize(png, maxSide: 1024, limits: .default)
            #expect(data != png, "\(name) kept as it was")
            #expect(info == ImageInfo(format: .png, width: 40, height: 30), "\(name)")
            #expect(data.range(of: Data("Comment".utf8)) == nil, "\(name): its text kept")
        }
        // What IHDR declares: 16 bits per sample, interlaced (only the layout is read here).
        #expect(PNGLayout.plainHeader(ImageFixtures.plainPNG(depth: 16)) == nil)
        #expect(PNGLayout.plainHeader(ImageFixtures.plainPNG(interlace: 1)) == nil)
        #expect(PNGLayout.plainHeader(ImageFixtures.plainPNG().prefix(60)) == nil)
    }

    @Test func aPlainPNGWithBrokenPixelsIsRefused() throws {
        let broken: [(String, Data)] = [
            ("zlib checksum", ImageFixtures.plainPNG(adlerOffset: 1)),
            ("missing rows", ImageFixtures.plainPNG(rows: 20)),
        ]
        for (name, png) in broken {
            #expect(PNGLayout.plainHeader(png) != nil, "\(name): the layout alone looks plain")
            do {
                let kept = try MagickImage.normalize(png, maxSide: 1024, limits: .default)
                Issue.record("\(name): accepted as \(kept.info), \(kept.data == png ? "kept" : "re-encoded")")
            } catch let error as ImageError {
                #expect(error.code == "image_undecodable", "\(name): \(error)")
            }
        }
    }

    @Test(arguments: [ImageFormat.png, .jpeg])
    func truncatedFilesAreUndecodable(format: ImageFormat) throws {
        let full = try MagickImage.makeImage(width: 600, height: 400, format: format)
        let half = full.prefix(full.count / 2)
        #expect(throws: ImageError.self) { try MagickImage.normalize(half, maxSide: 512, limits: .default) }
        do {
            _ = try MagickImage.normalize(half, maxSide: 512, limits: .default)
        } catch let error as ImageError {
            #expect(error.code == "image_undecodable", "\(error)")
        }
    }

    @Test func randomBytesAfterPNGMagicAreUndecodable() {
        var generator = SystemRandomNumberGenerator()
        var bytes: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        bytes += (0..<4096).map { _ in UInt8.random(in: 0...255, using: &generator) }
        for call in [
            { _ = try MagickImage.inspect(Data(bytes), limits: .default) },
            { _ = try MagickImage.normalize(Data(bytes), maxSide: 100, limits: .default) },
        ] {
            do {
                try call()
                Issue.record("random bytes were accepted")
            } catch let error as ImageError {
                #expect(error.code == "image_undecodable", "\(error)")
            } catch {
                Issue.record("unexpected \(error)")
            }
        }
    }

    @Test func pixelBombIsRefusedFromTheHeader() throws {
        let bomb = ImageFixtures.pngBomb()
        #expect(bomb.count < 100)
        let clock = ContinuousClock()
        let start = clock.now
        #expect(throws: ImageError.tooManyPixels(width: 30_000, height: 30_000)) {
            try MagickImage.inspect(bomb, limits: .default)
        }
        #expect(throws: ImageError.tooManyPixels(width: 30_000, height: 30_000)) {
            try MagickImage.normalize(bomb, maxSide: 1024, limits: .default)
        }
        let elapsed = clock.now - start
        #expect(elapsed < .seconds(5), "bomb took \(elapsed)")
        #expect(ImageFixtures.peakRSSMiB() < 1024, "peak RSS \(ImageFixtures.peakRSSMiB()) MiB")
    }

    @Test func limitsAreTheCallersToo() throws {
        let png = try MagickImage.makeImage(width: 300, height: 100, format: .png)
        let small = ImageLimits(maxWidth: 200, maxHeight: 200, maxPixels: 1_000_000)
        #expect(throws: ImageError.tooManyPixels(width: 300, height: 100)) {
            try MagickImage.inspect(png, limits: small)
        }
        let area = ImageLimits(maxPixels: 20_000)
        #expect(throws: ImageError.tooManyPixels(width: 300, height: 100)) {
            try MagickImage.normalize(png, maxSide: 64, limits: area)
        }
    }

    @Test func stylizeVariantsDiffer() throws {
        let drawing = try MagickImage.makeImage(width: 400, height: 300, format: .jpeg, color: "#3366cc")
        var outputs: [Data] = []
        for variant in 0..<4 {
            let styled = try MagickImage.stylize(drawing, variant: variant)
            let info = try MagickImage.inspect(styled, limits: .default)
            #expect(info.format == .png)
            #expect((300...480).contains(info.width) && (200...380).contains(info.height), "\(info)")
            outputs.append(styled)
        }
        #expect(Set(outputs).count == 4)
        #expect(!outputs.contains(try MagickImage.normalize(drawing, maxSide: 1024, limits: .default).data))
    }

    @Test func stylizeCoversEveryEffect() throws {
        let drawing = try MagickImage.makeImage(width: 200, height: 160, format: .png)
        var outputs = Set<Data>()
        for variant in 0..<(MagickImage.stylizeEffects.count + 1) {
            let styled = try MagickImage.stylize(drawing, variant: variant, output: .jpeg)
            #expect(ImageFormat.sniff(styled) == .jpeg)
            outputs.insert(styled)
        }
        #expect(outputs.count == MagickImage.stylizeEffects.count + 1)
    }

    @Test func asyncWrappers() async throws {
        let png = try await MagickImage.makeImageAsync(width: 800, height: 600, format: .png)
        #expect(try await MagickImage.inspectAsync(png) == ImageInfo(format: .png, width: 800, height: 600))
        let normalized = try await MagickImage.normalizeAsync(png, maxSide: 400, output: .webp)
        #expect(normalized.info == ImageInfo(format: .webp, width: 400, height: 300))
        let styled = try await MagickImage.stylizeAsync(png, variant: 5)
        #expect(ImageFormat.sniff(styled) == .png)
        await #expect(throws: ImageError.unsupportedFormat) {
            try await MagickImage.inspectAsync(ImageFixtures.svg)
        }
    }
}
