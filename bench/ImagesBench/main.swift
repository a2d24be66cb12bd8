import Foundation
import OzhImages

// Preprocessing benchmark: how long the generation worker's normalise step takes on a
// 12-megapixel photo, and how long the sandbox's stylise step takes per variant.
// Run: swift run -c release ImagesBench [runs]
let runs = CommandLine.arguments.dropFirst().first.flatMap(Int.init) ?? 5
let clock = ContinuousClock()

func measure(_ label: String, _ body: () throws -> Void) rethrows {
    var samples: [Double] = []
    for _ in 0..<runs {
        let start = clock.now
        try body()
        let elapsed = clock.now - start
        samples.append(Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15)
    }
    samples.sort()
    print(
        String(
            format: "%-58@ median %7.1f ms   min %7.1f ms   max %7.1f ms", label as NSString,
            samples[samples.count / 2], samples.first!, samples.last!))
}

let flat = try MagickImage.makeImage(width: 4000, height: 3000, format: .jpeg)
let photo = try MagickImage.makeNoisyJPEG(width: 4000, height: 3000)
let png = try MagickImage.makeImage(width: 4000, height: 3000, format: .png)
print("runs per case: \(runs); photo-like JPEG is \(photo.count / 1024) KiB")
// The drawing bench/http.sh uploads in its POST /generate scenario (run from the package root).
if let sample = try? Data(contentsOf: URL(fileURLWithPath: "deploy/sample/drawing.png")) {
    print("sample drawing -> \(try MagickImage.normalize(sample, maxSide: 1024).data.count) bytes")
    try measure("normalize the sample drawing (480x360 PNG, 2.8 KB) x100") {
        for _ in 0..<100 { _ = try MagickImage.normalize(sample, maxSide: 1024) }
    }
} else {
    print("deploy/sample/drawing.png not found: run from the package root for the sample-drawing case")
}
try measure("normalize 12 MP flat JPEG -> 1024 px PNG") { _ = try MagickImage.normalize(flat, maxSide: 1024) }
try measure("normalize 12 MP photo-like JPEG -> 1024 px PNG") { _ = try MagickImage.normalize(photo, maxSide: 1024) }
try measure("normalize 12 MP photo-like JPEG -> 1024 px JPEG") { _ = try MagickImage.normalize(photo, maxSide: 1024, output: .jpeg) }
try measure("normalize 12 MP PNG -> 1024 px PNG") { _ = try MagickImage.normalize(png, maxSide: 1024) }
try measure("inspect (header only) 12 MP photo-like JPEG") { _ = try MagickImage.inspect(photo) }
let drawing = try MagickImage.normalize(photo, maxSide: 1024).data
for variant in 0..<MagickImage.stylizeEffects.count {
    try measure("stylize 1024 px, variant \(variant) (\(MagickImage.stylizeEffects[variant]))") {
        _ = try MagickImage.stylize(drawing, variant: variant)
    }
}
