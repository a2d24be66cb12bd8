import Foundation
import OzhMongo
import OzhSettings
import OzhSupport

/// Where MongoDB is: what every process that reads or writes the money and the generations reads.
public struct MongoSettings: Sendable, Equatable {
    /// `MONGO_URI`: where MongoDB is (required, `mongodb://` or `mongodb+srv://`).
    public var uri: String
    /// `MONGO_DB_NAME`: the database (default `ozhivlyator_db`).
    public var database: String

    /// Reads and validates `MONGO_URI` and `MONGO_DB_NAME` from `source`.
    public init(source: SettingsSource) throws(SettingsError) {
        uri = try source.required("MONGO_URI")
        guard uri.hasPrefix("mongodb://") || uri.hasPrefix("mongodb+srv://") else {
            throw .invalid(variable: "MONGO_URI", reason: "expected a mongodb:// or mongodb+srv:// URI")
        }
        database = source.string("MONGO_DB_NAME") ?? "ozhivlyator_db"
        guard database.isIdentifier(maxLength: 63) else {
            throw .invalid(variable: "MONGO_DB_NAME", reason: "use 1-63 letters, digits, _ or -")
        }
    }
}

extension MongoClient {
    /// A client of the database `settings` name.
    public convenience init(settings: MongoSettings) throws {
        try self.init(uri: settings.uri, database: settings.database)
    }
}
