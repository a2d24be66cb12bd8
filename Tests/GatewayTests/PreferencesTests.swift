import HTTPTypes
import Testing

@testable import APIGateway

/// `Prefer` (RFC 7240) as job-creating requests read it, and the wait it gives. No server.
@Suite("Prefer header")
struct PreferencesTests {
    @Test func waitAndRespondAsyncAreReadFromAnyFieldCaseAndSpacing() {
        #expect(Preferences(values: ["wait=10"]) == Preferences(wait: 10))
        #expect(Preferences(values: ["respond-async, wait=5"]) == Preferences(wait: 5, respondAsync: true))
        #expect(Preferences(values: ["Respond-Async", " WAIT = \"7\" ; foo=bar"]) == Preferences(wait: 7, respondAsync: true))
        #expect(Preferences(values: ["handling=lenient, return=minimal,wait=3"]) == Preferences(wait: 3))
        #expect(Preferences(values: ["wait=3", "wait=9"]) == Preferences(wait: 3), "the first instance counts")
        #expect(Preferences(values: ["x=\"a,wait=9\", wait=2"]) == Preferences(wait: 2), "commas inside quotes split nothing")
    }

    @Test func badOrUnknownPreferencesAreIgnored() {
        for value in ["wait=abc", "wait=-1", "wait=1.5", "wait", "wait=", "foo", ",,,", ""] {
            #expect(Preferences(values: [value]).wait == nil, "\(value)")
        }
        #expect(Preferences(values: ["wait=99999999999999999999999"]).wait == Int.max)
    }

    @Test func theWaitIsCappedAndAnsweredWithPreferenceApplied() {
        let capped = SyncWait(preferences: Preferences(wait: 600), defaultSeconds: 0)
        #expect(capped.duration == .seconds(60) && capped.preferenceApplied == "wait=60")
        #expect(capped.headers(waited: true)[Preferences.applied] == "wait=60")
        #expect(capped.headers(waited: false)[Preferences.applied] == nil, "over the long-poll caps nothing was applied")
        #expect(SyncWait(preferences: Preferences(wait: 0), defaultSeconds: 20).duration == nil)
        let byDefault = SyncWait(preferences: Preferences(), defaultSeconds: 20)
        #expect(byDefault.duration == .seconds(20) && byDefault.preferenceApplied == nil)
        let async = SyncWait(preferences: Preferences(respondAsync: true), defaultSeconds: 20)
        #expect(async.duration == nil && async.headers(waited: false)[Preferences.applied] == "respond-async")
    }
}
