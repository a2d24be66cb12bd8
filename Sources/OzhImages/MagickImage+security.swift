import CMagickWand
import Foundation

extension MagickImage {
    /// Coders that must never run, whatever the input: vector/script formats that can
    /// read files or URLs (MVG, MSL, SVG, TEXT, LABEL...), network and Ghostscript coders.
    static let deniedCoders = [
        "MVG", "MSL", "SVG", "MSVG", "RSVG", "TEXT", "TXT", "LABEL", "CAPTION", "PANGO",
        "URL", "HTTPS", "HTTP", "FTP", "EPHEMERAL", "PS", "PS2", "PS3", "EPS", "EPSI",
        "EPSF", "EPT", "PDF", "PDFA", "AI", "XPS", "SHOW", "WIN", "X", "SCAN", "VID",
        "PLT", "INLINE", "MPEG", "HTML",
    ]

    /// The XML policy installed at genesis: denied coders, no external delegates,
    /// no `@file` indirection.
    static var policyXML: String {
        let coders = deniedCoders.joined(separator: ",")
        return """
            <policymap>
              <policy domain="coder" rights="none" pattern="{\(coders)}"/>
              <policy domain="delegate" rights="none" pattern="*"/>
              <policy domain="path" rights="none" pattern="@*"/>
            </policymap>
            """
    }

    /// Whether the security policy was accepted by `SetMagickSecurityPolicy`.
    public static var securityPolicyInstalled: Bool { genesis }

    /// MagickWandGenesis + policy + resource limits, exactly once per process
    /// (Swift's lazy static initialisation is thread-safe).
    private static let genesis: Bool = {
        MagickWandGenesis()
        let installed = installPolicy()
        setResourceLimits(.default)
        return installed
    }()

    /// Makes sure ImageMagick is initialised; every wand helper calls it.
    static func ensureGenesis() { _ = genesis }

    private static func installPolicy() -> Bool {
        guard let exception = AcquireExceptionInfo() else { return false }
        defer { _ = DestroyExceptionInfo(exception) }
        return SetMagickSecurityPolicy(policyXML, exception) == MagickTrue
    }

    /// Sets ImageMagick's process-wide resource limits from `limits`.
    ///
    /// Called at genesis with `ImageLimits.default`; call it at startup to change them.
    /// Width/height are a generous backstop (per-call limits are checked after the
    /// ping, so a bomb's real size is reported); area, memory, map and disk bound the
    /// decode itself. No time limit: in ImageMagick 6 it counts from process start and
    /// exits the process with a fatal error when reached.
    public static func applyResourceLimits(_ limits: ImageLimits) {
        ensureGenesis()
        setResourceLimits(limits)
    }

    private static func setResourceLimits(_ limits: ImageLimits) {
        let memory = UInt64(max(limits.maxMemoryBytes, 16 << 20))
        let side = UInt64(max(65_000, max(limits.maxWidth, limits.maxHeight)))
        _ = MagickSetResourceLimit(WidthResource, side)
        _ = MagickSetResourceLimit(HeightResource, side)
        _ = MagickSetResourceLimit(AreaResource, UInt64(max(limits.maxPixels, 1)))
        _ = MagickSetResourceLimit(MemoryResource, memory)
        _ = MagickSetResourceLimit(MapResource, memory * 2)
        _ = MagickSetResourceLimit(DiskResource, 64 << 20)
        _ = MagickSetResourceLimit(ThreadResource, 1)
        _ = MagickSetResourceLimit(ListLengthResource, 256)
    }

    /// Whether ImageMagick's policy lets `coder` read (for tests and diagnostics).
    static func isCoderReadable(_ coder: String) -> Bool {
        ensureGenesis()
        return IsRightsAuthorized(CoderPolicyDomain, ReadPolicyRights, coder) == MagickTrue
    }

    /// The process-wide limit ImageMagick currently enforces for a resource name
    /// (`width`, `height`, `area`, `memory`, `map`, `disk`, `thread`).
    static func resourceLimit(_ name: String) -> UInt64 {
        ensureGenesis()
        let types: [String: ResourceType] = [
            "width": WidthResource, "height": HeightResource, "area": AreaResource,
            "memory": MemoryResource, "map": MapResource, "disk": DiskResource,
            "thread": ThreadResource,
        ]
        guard let type = types[name] else { return 0 }
        return UInt64(MagickGetResourceLimit(type))
    }
}
