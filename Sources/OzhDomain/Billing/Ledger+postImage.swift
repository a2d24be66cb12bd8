import OzhMongo

extension Ledger {
    /// The user document after an operation's compare-and-set: `document` (the user as read at
    /// the `rev` the update matched) with the update's `$set` fields replaced and its `$inc`
    /// fields added, as MongoDB applies them.
    ///
    /// The fields operations write (balance, `rev`, `ops`, the generation stats, the bonus
    /// dates) are exact: every write of them goes through this compare-and-set. Fields other
    /// writers change without bumping `rev` (profile edits, `last_activity_time`, payment
    /// entries) are as read just before the update.
    ///
    /// Only top-level fields: a dotted path in `set` or `inc` is a programming error. The result
    /// goes through BSON bytes once, so its values are as stored (dates to the millisecond).
    static func postImage(of document: BSONDocument, set: BSONDocument, inc: BSONDocument) throws -> BSONDocument {
        var result = document
        for (key, value) in set {
            precondition(!key.contains("."), "a balance operation sets top-level fields only: \(key)")
            result[key] = value
        }
        for (key, value) in inc {
            precondition(!key.contains("."), "a balance operation increments top-level fields only: \(key)")
            result[key] = Self.sum(result[key], value)
        }
        return try BSONNative.document(fromBytes: BSONNative.bytes(of: result))
    }

    /// `$inc`'s sum: a missing field counts as 0; integers stay integers, a double makes a double.
    private static func sum(_ current: BSON?, _ increment: BSON) -> BSON {
        switch (current, increment) {
        case (nil, _), (.null?, _): return increment
        case (.double(let a)?, _): return .double(a + (increment.doubleValue ?? 0))
        case (_, .double(let b)): return .double((current?.doubleValue ?? 0) + b)
        default: return .int64((current?.int64Value ?? 0) + (increment.int64Value ?? 0))
        }
    }
}
