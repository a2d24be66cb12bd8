import Testing

@testable import OzhDomain
@testable import OzhSettings

/// What the gateway knows of Gemini (`GEMINI_PROJECTS` / `GEMINI_API_KEYS_STR`), and the
/// public view the workers publish.
@Suite("Gateway Gemini projects")
struct GatewayGeminiProjectsTests {
    func settings(_ values: [String: String]) throws -> Settings {
        try Settings(source: SettingsSource(values: SettingsTests.minimal.merging(values) { $1 }))
    }

    @Test func projectsOrKeysAndNeitherIsRefused() throws {
        #expect(try settings(["GEMINI_PROJECTS": "pa, pb,pa"]).gemini.gatewayProjects() == .names(["pa", "pb"]))
        #expect(
            try settings(["GEMINI_PROJECTS": "pa,pb", "GEMINI_API_KEYS_STR": "pb:k-2,pa:k-1"]).gemini.gatewayProjects()
                == .keyring(try GeminiKeyring(string: "pb:k-2,pa:k-1")))
        #expect(try settings(["IMAGE_RETENTION_DAYS": "0"]).sweeps.imageRetentionDays == 0)
        #expect(try settings([:]).sweeps.imageRetentionDays == 30)
        let problems: [([String: String], String)] = [
            ([:], "GEMINI_PROJECTS is invalid: not set"),
            (["GEMINI_API_KEYS_STR": "pa:"], "GEMINI_API_KEYS_STR is invalid"),
            (["GEMINI_API_KEYS_STR": "bad name:key-1"], "GEMINI_API_KEYS_STR is invalid"),
            (["GEMINI_PROJECTS": "pa", "GEMINI_API_KEYS_STR": "pb:key-1"], "GEMINI_PROJECTS is invalid"),
        ]
        for (values, message) in problems {
            let loaded = try settings(values)
            do {
                _ = try loaded.gemini.gatewayProjects()
                Issue.record("\(values) was accepted")
            } catch {
                #expect(error.message.hasPrefix(message), "\(values): \(error.message)")
                #expect(!error.message.contains("key-1"), "no key in the message")
            }
        }
        #expect(throws: SettingsError.self) { try settings(["GEMINI_PROJECTS": "ok,not ok"]) }
        #expect(throws: SettingsError.self) { try settings(["IMAGE_RETENTION_DAYS": "-1"]) }
    }

    @Test func thePublicViewHasIdsAndLabelsButNoSecret() throws {
        let keyring = try GeminiKeyring(string: "pa:secret-one-1111,pb:secret-two-2222,pb:secret-three-3333")
        let view = keyring.publicView
        #expect(view.count == 2)
        #expect(!view.values.joined().contains("secret"), "\(view)")
        let back = keyring.projects.flatMap { GeminiKeyring.publicKeys(of: $0, json: view[$0] ?? "") }
        #expect(back.map(\.id) == keyring.keys.map(\.id))
        #expect(back.map(\.label) == ["…1111", "…2222", "…3333"])
        #expect(back.allSatisfy { !$0.hasSecret })
        #expect(GeminiKeyring(publicKeys: back, projects: keyring.projects).keys(of: "pb").count == 2)
        // The format the gateway and older workers read: an array of {"id", "label"} objects.
        let first = try #require(keyring.keys(of: "pa").first)
        #expect(view["pa"] == #"[{"id":"\#(first.id)","label":"…1111"}]"#)
    }
}
