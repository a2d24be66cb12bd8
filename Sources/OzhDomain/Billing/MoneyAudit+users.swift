import Foundation
import OzhMongo

extension MoneyAudit {
    /// The fields of a ledger entry the audit reads.
    static let ledgerProjection: BSONDocument = ["_id": 1, "chat_id": 1, "delta": 1, "reason": 1, "ref": 1, "at": 1]

    /// Every user, `pageSize` at a time in `_id` order, with the ledger entries of its `_id`
    /// range (so entries of a chat id with no user are found on the way), then the ledger
    /// entries past the last user.
    func auditUsers(into report: inout AuditReport) async throws(AuditError) {
        var after: Int64?
        while true {
            let filter: BSONDocument = ["_id": .document(after.map { ["$gt": .int64($0)] } ?? ["$gte": .int64(.min)])]
            let page = try await read {
                try await users.find(filter, sort: ["_id": 1], limit: options.pageSize, projection: AuditedAccount.projection)
            }
            report.users += page.count
            guard let last = page.last?["_id"]?.int64Value else { break }
            try await auditPage(page, after: after, through: last, into: &report)
            after = last
            if page.count < options.pageSize { break }
        }
        try await auditOrphanTail(after: after, into: &report)
    }

    /// One page of users: `page`, whose `_id`s are in `(after, last]`.
    private func auditPage(
        _ page: [BSONDocument], after: Int64?, through last: Int64,
        into report: inout AuditReport
    ) async throws(AuditError) {
        var range: BSONDocument = ["$lte": .int64(last)]
        if let after { range["$gt"] = .int64(after) }
        let filter: BSONDocument = ["chat_id": .document(range)]
        let entries = try await read { try await ledger.find(filter, projection: Self.ledgerProjection) }
        report.ledgerEntries += entries.count
        let ledgerByChat = Self.groupLedger(entries, into: &report)
        var accounts = Self.accounts(page, ledger: ledgerByChat, into: &report)
        let statuses = try await jobStatuses(accounts.flatMap(Self.jobsNeedingStatus))
        for index in accounts.indices { accounts[index].jobStatus = statuses }

        let now = clock()
        let candidates = accounts.map { problems(of: $0, now: now) }.filter { !$0.isEmpty }
        if !candidates.isEmpty {
            let chats = candidates.compactMap { $0.first?.chatID }
            let jobs = accounts.filter { chats.contains($0.chatID) }.flatMap(Self.jobsNeedingStatus)
            let fresh = try await reread(chats: chats, jobs: jobs)
            for problem in Self.confirmed(candidates.flatMap { $0 }, by: fresh) { report.add(problem) }
        }

        let known = Set(page.compactMap { $0["_id"]?.int64Value })
        let orphans = ledgerByChat.filter { !known.contains($0.key) }
        if !orphans.isEmpty { try await reportOrphans(orphans.mapValues(\.count), into: &report) }
    }

    /// The users `chats` read again, in the order the writers write: the `generations` records
    /// of `jobs` first, then the ledger, then the user documents; returns their problems.
    private func reread(chats: [Int64], jobs: [String]) async throws(AuditError) -> [AuditProblem] {
        let statuses = try await jobStatuses(jobs)
        var entries: [BSONDocument] = []
        var documents: [BSONDocument] = []
        for batch in batches(chats) {
            let ids = BSON.array(batch.map(BSON.int64))
            entries += try await read { try await ledger.find(["chat_id": ["$in": ids]], projection: Self.ledgerProjection) }
        }
        for batch in batches(chats) {
            let ids = BSON.array(batch.map(BSON.int64))
            documents += try await read { try await users.find(["_id": ["$in": ids]], projection: AuditedAccount.projection) }
        }
        var ignored = AuditReport(listLimit: 0)
        var accounts = Self.accounts(documents, ledger: Self.groupLedger(entries, into: &ignored), into: &ignored)
        for index in accounts.indices { accounts[index].jobStatus = statuses }
        let now = clock()
        return accounts.flatMap { problems(of: $0, now: now) }
    }

    /// Everything wrong with one user.
    func problems(of account: AuditedAccount, now: Date) -> [AuditProblem] {
        balanceProblems(account, now: now) + generationProblems(account) + purchaseProblems(account)
    }

    /// Ledger entries grouped by chat id then operation id; an entry that cannot be read is a
    /// `malformed_record`.
    static func groupLedger(_ entries: [BSONDocument], into report: inout AuditReport) -> [Int64: [String: AuditedOperation]] {
        var byChat: [Int64: [String: AuditedOperation]] = [:]
        for document in entries {
            guard let chat = document["chat_id"]?.int64Value else { continue }
            guard let entry = AuditedOperation(document, idKey: "_id") else {
                report.add(
                    AuditProblem(
                        .malformedRecord, chatID: chat, operationID: document["_id"]?.stringValue,
                        detail: "ledger entry without a readable _id or delta"))
                continue
            }
            byChat[chat, default: [:]][entry.id] = entry
        }
        return byChat
    }

    /// The user documents read as accounts with their ledger entries; a document that cannot
    /// be read is a `malformed_record`.
    static func accounts(
        _ documents: [BSONDocument], ledger: [Int64: [String: AuditedOperation]],
        into report: inout AuditReport
    ) -> [AuditedAccount] {
        documents.compactMap { document in
            guard var account = AuditedAccount(user: document) else {
                report.add(
                    AuditProblem(
                        .malformedRecord, chatID: document["_id"]?.int64Value,
                        detail: "user document without a readable ozhivashki or ops"))
                return nil
            }
            account.ledger = ledger[account.chatID] ?? [:]
            return account
        }
    }

    /// Reports the chats of `orphans` (chat id → entries) that still have no user when asked again.
    private func reportOrphans(_ orphans: [Int64: Int], into report: inout AuditReport) async throws(AuditError) {
        var existing = Set<Int64>()
        for batch in batches(orphans.keys.sorted()) {
            let ids = BSON.array(batch.map(BSON.int64))
            let found = try await read { try await users.find(["_id": ["$in": ids]], projection: ["_id": 1]) }
            existing.formUnion(found.compactMap { $0["_id"]?.int64Value })
        }
        for (chat, count) in orphans.sorted(by: { $0.key < $1.key }) where !existing.contains(chat) {
            report.add(AuditProblem(.ledgerOrphan, chatID: chat, detail: "\(count) ledger entries of a chat id with no user"))
        }
    }

    /// The ledger's chat ids past the last user (`after`), one index seek each: every one of
    /// them is an orphan unless its user appeared meanwhile.
    private func auditOrphanTail(after: Int64?, into report: inout AuditReport) async throws(AuditError) {
        var cursor = after
        while true {
            let filter: BSONDocument = ["chat_id": .document(cursor.map { ["$gt": .int64($0)] } ?? ["$gte": .int64(.min)])]
            let next = try await read { try await ledger.find(filter, sort: ["chat_id": 1], limit: 1, projection: ["chat_id": 1]) }
            guard let chat = next.first?["chat_id"]?.int64Value else { return }
            let entries = try await read { try await ledger.find(["chat_id": .int64(chat)], projection: ["_id": 1]) }
            report.ledgerEntries += entries.count
            try await reportOrphans([chat: entries.count], into: &report)
            cursor = chat
        }
    }
}
