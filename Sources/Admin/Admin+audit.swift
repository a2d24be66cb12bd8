import ArgumentParser
import Foundation
import OzhDomain
import OzhMongo
import OzhSettings

/// `ozh-admin audit [--json] [--grace-seconds N] [--page-size N]`: the money audit over
/// MongoDB (read-only, paged). Needs only `MONGO_URI` and `MONGO_DB_NAME`.
///
/// Prints one line per problem (`<code> chat_id=… job_id=…: detail`) and a summary line
/// (`N problems (…); read …`), or one JSON object with `--json`. Exits 0 when there is no
/// problem, 1 when there is one, 2 when the audit could not run (a setting, or MongoDB).
struct Audit: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check the money in MongoDB: ledgers, settlements, active generations, payments.",
        discussion: "Read-only and paged. Exit status: 0 no problem, 1 problems found, 2 the audit could not run.")

    @Flag(help: "One JSON object instead of lines.") var json = false
    @Option(help: "How old a write must be before a missing ledger entry or credit counts as a problem.")
    var graceSeconds: Int = 10
    @Option(help: "Users (and payments) read per page.") var pageSize: Int = 500
    @Option(help: "At most this many problems are printed (all are counted).") var limit: Int = 1000

    func validate() throws {
        guard graceSeconds >= 0 else { throw ValidationError("--grace-seconds cannot be negative") }
        guard pageSize > 0 else { throw ValidationError("--page-size must be positive") }
        guard limit >= 0 else { throw ValidationError("--limit cannot be negative") }
    }

    func run() async throws {
        let mongo: MongoClient
        do {
            mongo = try await Self.connect()
        } catch {
            throw Admin.fail("audit", error)
        }
        defer { mongo.shutdown() }
        let options = AuditOptions(pageSize: pageSize, grace: .seconds(graceSeconds), listLimit: limit)
        let report: AuditReport
        do {
            report = try await MoneyAudit(mongo: mongo, options: options).run()
        } catch {
            throw Admin.fail("audit", error)
        }
        if json {
            print(report.json.serialized)
        } else {
            for problem in report.problems { print(problem.line) }
            for id in report.unknownAtProvider.prefix(limit) {
                print("notice unknown_at_provider payment_id=\(id): YooKassa does not know this payment; it is no longer re-read")
            }
            if report.unlisted > 0 { print("… and \(report.unlisted) more (raise --limit to list them)") }
            print(report.summary)
        }
        if report.total > 0 { throw ExitCode(1) }
    }

    /// A client of the configured MongoDB, from `MONGO_URI` / `MONGO_DB_NAME` alone (no Redis).
    static func connect() async throws(SettingsError) -> MongoClient {
        // The services' own MongoDB settings, so a value they refuse is refused here the same way.
        let settings = try MongoSettings(source: try await Admin.settingsSource())
        do {
            return try MongoClient(settings: settings)
        } catch {
            throw .invalid(variable: "MONGO_URI", reason: "not a MongoDB URI, or MONGO_DB_NAME is not a database name")
        }
    }
}
