import NIOCore

/// Decodes RESP2 replies from a byte stream into ``RedisReply`` values, for the multiplexed
/// connection (``RedisMultiplexer``). Pure Swift: the bytes never reach hiredis.
struct RESPDecoder: ByteToMessageDecoder {
    typealias InboundOut = RedisReply

    /// Nesting deeper than this is refused (Redis' own replies are far shallower).
    static let maxDepth = 64

    mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        var view = buffer
        guard let reply = try Self.parse(&view, depth: 0) else { return .needMoreData }
        buffer = view
        context.fireChannelRead(wrapInboundOut(reply))
        return .continue
    }

    mutating func decodeLast(context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool) throws -> DecodingState {
        while try decode(context: context, buffer: &buffer) == .continue {}
        return .needMoreData
    }

    /// One complete reply from the front of `buffer` (consumed), or nil when more bytes are needed.
    static func parse(_ buffer: inout ByteBuffer, depth: Int) throws -> RedisReply? {
        guard depth < maxDepth else { throw RedisError.unexpectedReply("replies nested deeper than \(maxDepth)") }
        guard let marker = buffer.getInteger(at: buffer.readerIndex, as: UInt8.self) else { return nil }
        var rest = buffer
        rest.moveReaderIndex(forwardBy: 1)
        guard let line = readLine(&rest) else { return nil }
        let reply: RedisReply
        switch marker {
        case UInt8(ascii: "+"): reply = .status(line)
        case UInt8(ascii: "-"): reply = .error(line)
        case UInt8(ascii: ":"):
            guard let value = Int64(line) else { throw RedisError.unexpectedReply("integer '\(line.prefix(40))'") }
            reply = .integer(value)
        case UInt8(ascii: "$"):
            guard let length = Int(line), length >= -1 else { throw RedisError.unexpectedReply("bulk length '\(line.prefix(40))'") }
            if length == -1 {
                reply = .null
            } else {
                guard rest.readableBytes >= length + 2, let bytes = rest.readBytes(length: length) else { return nil }
                rest.moveReaderIndex(forwardBy: 2) // CRLF
                reply = .bulk(bytes)
            }
        case UInt8(ascii: "*"):
            guard let count = Int(line), count >= -1 else { throw RedisError.unexpectedReply("array length '\(line.prefix(40))'") }
            if count == -1 {
                reply = .null
            } else {
                var items: [RedisReply] = []
                items.reserveCapacity(count)
                for _ in 0..<count {
                    guard let item = try parse(&rest, depth: depth + 1) else { return nil }
                    items.append(item)
                }
                reply = .array(items)
            }
        default:
            throw RedisError.unexpectedReply("unknown RESP type byte \(marker)")
        }
        buffer = rest
        return reply
    }

    /// The text up to the next CRLF (consumed with it), or nil when no full line is buffered.
    private static func readLine(_ buffer: inout ByteBuffer) -> String? {
        let view = buffer.readableBytesView
        guard let lf = view.firstIndex(of: UInt8(ascii: "\n")), lf > view.startIndex,
            view[lf - 1] == UInt8(ascii: "\r")
        else { return nil }
        let length = lf - 1 - view.startIndex
        let text = buffer.readString(length: length) ?? ""
        buffer.moveReaderIndex(forwardBy: 2)
        return text
    }
}

extension ByteBuffer {
    /// Appends `command` in RESP2 (an array of bulk strings), as Redis expects requests.
    mutating func writeRedisCommand(_ command: [String]) {
        writeStaticString("*")
        writeString(String(command.count))
        writeStaticString("\r\n")
        for argument in command {
            writeStaticString("$")
            writeString(String(argument.utf8.count))
            writeStaticString("\r\n")
            writeString(argument)
            writeStaticString("\r\n")
        }
    }
}
