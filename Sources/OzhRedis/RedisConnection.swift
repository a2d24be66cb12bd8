import CHiredis

#if canImport(Glibc)
    import Glibc
#endif

/// One blocking hiredis connection. The only type that touches `redisContext` and `redisReply`.
///
/// Not thread-safe (hence `@unchecked Sendable` only to cross into a blocking thread): the pool hands a connection to one blocking thread at a time. Every
/// method blocks, so callers run it through ``Blocking/run(on:_:)`` or on a dedicated thread.
public final class RedisConnection: @unchecked Sendable {
    private var context: UnsafeMutablePointer<redisContext>?
    let configuration: RedisConfiguration
    /// The pool generation this connection was made in (stale generations are dropped).
    let generation: Int

    /// Opens a connection, authenticates and selects the database.
    init(configuration: RedisConfiguration, generation: Int = 0) throws(RedisError) {
        _ = Self.ignoreSIGPIPE
        self.configuration = configuration
        self.generation = generation
        let timeout = Self.timeval(configuration.connectTimeout)
        let ctx: UnsafeMutablePointer<redisContext>?
        if let path = configuration.unixSocket {
            ctx = redisConnectUnixWithTimeout(path, timeout)
        } else {
            ctx = redisConnectWithTimeout(configuration.host, Int32(configuration.port), timeout)
        }
        guard let ctx else { throw .unavailable("could not allocate a connection") }
        context = ctx
        if ctx.pointee.err != 0 {
            let why = Self.errorText(ctx)
            redisFree(ctx)
            context = nil
            throw .unavailable(why)
        }
        try setTimeout(configuration.commandTimeout)
        if let password = configuration.password {
            var auth = ["AUTH"]
            if let user = configuration.username { auth.append(user) }
            auth.append(password)
            _ = try command(auth)
        }
        if configuration.database != 0 { _ = try command(["SELECT", String(configuration.database)]) }
    }

    /// A write to a socket the server closed must fail with EPIPE, not kill the process.
    private static let ignoreSIGPIPE: Void = { signal(SIGPIPE, SIG_IGN) }()

    deinit {
        if let context { redisFree(context) }
    }

    /// True once an I/O error has made the connection unusable.
    public var isBroken: Bool { context == nil || context!.pointee.err != 0 }

    /// Sets the socket read/write timeout; `nil` waits forever (for blocking commands).
    public func setTimeout(_ duration: Duration?) throws(RedisError) {
        guard let context else { throw .unavailable("connection closed") }
        let tv = duration.map(Self.timeval) ?? Glibc.timeval(tv_sec: 0, tv_usec: 0)
        if redisSetTimeout(context, tv) != REDIS_OK { throw .unavailable("could not set the socket timeout") }
    }

    /// Sends one command and waits for its reply. An error reply is thrown as
    /// ``RedisError/reply(_:)`` classifies it: ``RedisError/server(_:)``, or
    /// ``RedisError/unavailable(_:)`` while the server cannot serve yet (loading its data).
    public func command(_ arguments: [String]) throws(RedisError) -> RedisReply {
        try append(arguments)
        let reply = try readReply()
        if case .error(let text) = reply { throw RedisError.reply(text) }
        return reply
    }

    /// Sends all commands in one write and reads all replies; error replies stay in the array.
    public func pipeline(_ commands: [[String]]) throws(RedisError) -> [RedisReply] {
        for arguments in commands { try append(arguments) }
        var replies: [RedisReply] = []
        replies.reserveCapacity(commands.count)
        for _ in commands { replies.append(try readReply()) }
        return replies
    }

    /// Queues a command in hiredis' output buffer without waiting.
    package func append(_ arguments: [String]) throws(RedisError) {
        guard let context, context.pointee.err == 0 else { throw .unavailable("connection closed") }
        let status: Int32 = Self.withArgv(arguments) { argc, argv, lengths in
            redisAppendCommandArgv(context, argc, argv, lengths)
        }
        if status != REDIS_OK { throw .unavailable(Self.errorText(context)) }
    }

    /// Reads the next reply (flushing queued commands first). Used by pipelines and subscriptions.
    package func readReply() throws(RedisError) -> RedisReply {
        guard let context else { throw .unavailable("connection closed") }
        var raw: UnsafeMutableRawPointer?
        if redisGetReply(context, &raw) != REDIS_OK || raw == nil {
            let err = context.pointee.err
            let errnoNow = errno
            if err == REDIS_ERR_IO && (errnoNow == EAGAIN || errnoNow == EWOULDBLOCK) { throw .timeout }
            throw .unavailable(Self.errorText(context))
        }
        let reply = raw!.assumingMemoryBound(to: redisReply.self)
        defer { freeReplyObject(raw) }
        return Self.convert(reply)
    }

    private static func convert(_ reply: UnsafeMutablePointer<redisReply>) -> RedisReply {
        let r = reply.pointee
        switch Int32(r.type) {
        case REDIS_REPLY_STRING:
            return .bulk(r.str.map { Array(UnsafeRawBufferPointer(start: $0, count: Int(r.len))) } ?? [])
        case REDIS_REPLY_STATUS:
            return .status(r.str.map { String(cString: $0) } ?? "")
        case REDIS_REPLY_ERROR:
            return .error(r.str.map { String(cString: $0) } ?? "")
        case REDIS_REPLY_INTEGER:
            return .integer(r.integer)
        case REDIS_REPLY_ARRAY:
            var items: [RedisReply] = []
            items.reserveCapacity(Int(r.elements))
            for index in 0..<Int(r.elements) {
                if let element = r.element[index] { items.append(convert(element)) }
            }
            return .array(items)
        default:
            return .null
        }
    }

    private static func withArgv<T>(
        _ arguments: [String],
        _ body: (Int32, UnsafeMutablePointer<UnsafePointer<CChar>?>, UnsafePointer<Int>) -> T
    ) -> T {
        let buffers = arguments.map { Array($0.utf8) }
        let lengths = buffers.map(\.count)
        let argv = UnsafeMutablePointer<UnsafePointer<CChar>?>.allocate(capacity: max(1, buffers.count))
        defer { argv.deallocate() }
        // Copy each argument into one contiguous block so pointers stay valid for the call.
        let total = lengths.reduce(0, +)
        let block = UnsafeMutablePointer<CChar>.allocate(capacity: max(1, total))
        defer { block.deallocate() }
        var offset = 0
        for (index, bytes) in buffers.enumerated() {
            bytes.withUnsafeBufferPointer { source in
                source.withMemoryRebound(to: CChar.self) { chars in
                    if let base = chars.baseAddress { (block + offset).update(from: base, count: chars.count) }
                }
            }
            argv[index] = UnsafePointer(block + offset)
            offset += bytes.count
        }
        return lengths.withUnsafeBufferPointer { body(Int32(buffers.count), argv, $0.baseAddress!) }
    }

    private static func errorText(_ context: UnsafeMutablePointer<redisContext>) -> String {
        withUnsafeBytes(of: context.pointee.errstr) { raw in
            let text = String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            return text.isEmpty ? "connection error \(context.pointee.err)" : text
        }
    }

    private static func timeval(_ duration: Duration) -> Glibc.timeval {
        let (seconds, attoseconds) = duration.components
        return Glibc.timeval(tv_sec: Int(seconds), tv_usec: Int(attoseconds / 1_000_000_000_000))
    }
}
