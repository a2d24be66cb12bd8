import CMongoC

/// Translating libmongoc's `bson_error_t` (error API version 2) into `MongoError`.
extension MongoError {
    /// Maps a driver/server error; `reply` (when given) is searched for write errors.
    static func from(_ error: bson_error_t, reply: OpaquePointer? = nil) -> MongoError {
        var error = error
        let message = withUnsafeBytes(of: &error.message) { raw in
            String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
        }
        let code = Int(error.code)
        if let reply, let written = writeErrorCode(in: reply), duplicateKeyCodes.contains(written) {
            return .duplicateKey(message)
        }
        switch error.domain {
        case UInt32(MONGOC_ERROR_SERVER_SELECTION.rawValue), UInt32(MONGOC_ERROR_STREAM.rawValue):
            return .unavailable(message)
        case UInt32(MONGOC_ERROR_SERVER.rawValue), UInt32(MONGOC_ERROR_WRITE_CONCERN.rawValue),
            UInt32(MONGOC_ERROR_QUERY.rawValue), UInt32(MONGOC_ERROR_COMMAND.rawValue):
            if duplicateKeyCodes.contains(code) { return .duplicateKey(message) }
            return .server(code: code, message: message)
        case UInt32(MONGOC_ERROR_BSON.rawValue):
            return .encoding(message)
        default:
            if duplicateKeyCodes.contains(code) { return .duplicateKey(message) }
            return .server(code: code, message: message)
        }
    }

    /// The first `writeErrors[].code` or `writeConcernErrors[].code` in a write reply.
    private static func writeErrorCode(in reply: OpaquePointer) -> Int? {
        for key in ["writeErrors", "writeConcernErrors"] {
            guard let errors = try? BSONNative.value(forKey: key, in: reply)?.arrayValue else { continue }
            for entry in errors {
                if let code = entry.documentValue?["code"]?.int64Value { return Int(code) }
            }
        }
        return nil
    }
}
