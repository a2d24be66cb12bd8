import Foundation
import Testing

@testable import OzhDomain
@testable import OzhQueue

/// The pieces of push callbacks that need no server: signatures, target addresses, URLs.
@Suite("Callback signing and targets")
struct CallbackSigningTests {
    /// The Standard Webhooks specification's own example (its README's secret, id, timestamp and payload).
    @Test func signatureMatchesTheSpecificationsExample() throws {
        let signer = WebhookSigner(secrets: [try WebhookSecret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")])
        let signature = signer.signature(
            id: "msg_p5jXN8AQM9LWM0D4loKWxJek", timestamp: 1_614_265_330,
            body: Data(#"{"test": 2432232314}"#.utf8))
        #expect(signature == "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")
    }

    @Test func twoSecretsGiveTwoSpaceSeparatedSignatures() throws {
        let old = try WebhookSecret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
        let new = try WebhookSecret("whsec_" + Data(repeating: 7, count: 32).base64EncodedString())
        let body = Data("{}".utf8)
        let both = WebhookSigner(secrets: [old, new]).signature(id: "j.succeeded", timestamp: 1, body: body)
        #expect(
            both == WebhookSigner(secrets: [old]).signature(id: "j.succeeded", timestamp: 1, body: body) + " "
                + WebhookSigner(secrets: [new]).signature(id: "j.succeeded", timestamp: 1, body: body))
    }

    @Test func malformedSecretsAreRefused() {
        for text in ["", "whsec_", "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "whsec_!!!!", "whsec_" + Data(count: 8).base64EncodedString()] {
            #expect(throws: CallbackURLError.self, "\(text)") { try WebhookSecret(text) }
        }
    }

    @Test func onlyPublicAddressesArePublic() {
        let refused = [
            "127.0.0.1", "127.8.9.1", "10.0.0.1", "172.16.0.1", "172.31.255.255", "192.168.0.1", "100.64.0.1",
            "169.254.169.254", "0.0.0.0", "224.0.0.1", "255.255.255.255", "::1", "::", "fe80::1", "fc00::1",
            "fd00:ec2::254", "ff02::1", "::ffff:127.0.0.1", "::ffff:10.0.0.1", "2001:db8::1", "64:ff9b::a00:1",
            "not-an-address",
        ]
        for address in refused { #expect(!PublicAddress.isPublic(address), "\(address)") }
        for address in ["8.8.8.8", "1.1.1.1", "172.32.0.1", "100.128.0.1", "2606:4700::1111", "::ffff:8.8.8.8"] {
            #expect(PublicAddress.isPublic(address), "\(address)")
        }
    }

    @Test func callbackURLsAreCheckedAndNormalized() throws {
        let url = try CallbackURL("https://Bot.Example.com./hook?x=1")
        #expect(url.host == "bot.example.com" && url.port == 443)
        #expect(try CallbackURL("http://[::1]:8080/").host == "::1")
        #expect(try CallbackURL("http://[::1]:8080/").port == 8080)
        for text in [
            "ftp://example.com/", "file:///etc/passwd", "//example.com/", "http://", "http://a b/", "http://u:p@example.com/",
            "javascript:alert(1)", "gopher://example.com/", String(repeating: "a", count: 3000),
        ] {
            #expect(throws: CallbackURLError.self, "\(text)") { try CallbackURL(text) }
        }
    }

    @Test func theResolveEntryPinsTheCheckedAddress() async throws {
        let v4 = try await CallbackTarget.resolve("http://127.0.0.1:8090/x", allowedHosts: ["127.0.0.1"])
        #expect(v4.resolveEntry == "127.0.0.1:8090:127.0.0.1")
        let v6 = try await CallbackTarget.resolve("http://[::1]/x", allowedHosts: ["::1"])
        #expect(v6.resolveEntry == nil, "an IPv6 literal needs no pin")
        #expect(v6.address == "::1")
        await #expect(throws: CallbackURLError.self) { try await CallbackTarget.resolve("http://localhost/", allowedHosts: []) }
    }
}
