import CMagickWand
import Foundation

extension MagickImage {
    /// The effects `stylize` cycles through, by `variant % count`.
    public static let stylizeEffects = [
        "oil-paint", "swirl", "charcoal", "hue", "sepia", "posterize", "implode", "border",
    ]

    /// Returns a visibly different stylised version of a drawing for each `variant`.
    ///
    /// The input is validated and normalised like `normalize` (at most 1024 px a side),
    /// then gets effect `stylizeEffects[variant % 8]` and a hue rotation of
    /// `variant × 37°`, so consecutive variants always differ. Meant for the local
    /// fake image-generation server, not for production output.
    public static func stylize(
        _ data: Data,
        variant: Int,
        output: ImageFormat = .png,
        limits: ImageLimits = .default
    ) throws -> Data {
        let effect = ((variant % stylizeEffects.count) + stylizeEffects.count) % stylizeEffects.count
        return try withDecoded(data, maxSide: 1024, limits: limits) { wand in
            try applyEffect(effect, variant: variant, to: wand)
            let degrees = Double(((variant * 37) % 360 + 360) % 360)
            if degrees != 0 {
                let hue = 100 + degrees * 100 / 180 // ImageMagick: 100 = none, 200 = +180°
                try check(MagickModulateImage(wand, 100, 100, hue > 200 ? hue - 200 : hue), wand, "hue")
            }
            if output == .jpeg { try flattenOntoWhite(wand) }
            return try encode(wand, as: output, quality: 90)
        }
    }

    private static func applyEffect(_ effect: Int, variant: Int, to wand: OpaquePointer) throws {
        let (width, height) = size(wand)
        let side = Double(min(width, height))
        switch effect {
        case 0:
            try check(MagickOilPaintImage(wand, max(1, side / 200)), wand, "oil paint")
        case 1:
            try check(MagickSwirlImage(wand, 150), wand, "swirl")
        case 2:
            try check(MagickCharcoalImage(wand, 2, 1), wand, "charcoal")
        case 3:
            try check(MagickModulateImage(wand, 110, 160, 150), wand, "modulate")
        case 4:
            try check(MagickSepiaToneImage(wand, 0.8 * Double(QuantumRange)), wand, "sepia")
        case 5:
            try check(MagickPosterizeImage(wand, 4, MagickFalse), wand, "posterize")
        case 6:
            try check(MagickImplodeImage(wand, 0.6), wand, "implode")
        default:
            let colors = ["#e6194b", "#3cb44b", "#4363d8", "#f58231", "#911eb4"]
            let color = colors[(variant / stylizeEffects.count) % colors.count]
            let border = max(2, Int(side * 0.05))
            try withPixel(color) { pixel in
                try check(MagickBorderImage(wand, pixel, border, border), wand, "border")
            }
        }
    }
}
