import Foundation

/// A loopback port nobody listens on right now.
public func freeLoopbackPort() throws -> Int {
    let (fd, port) = try boundLoopbackSocket()
    close(fd)
    return port
}

/// A socket bound to a free loopback port, listening if asked; the caller closes it.
public func boundLoopbackSocket(listening: Bool = false) throws -> (fd: Int32, port: Int) {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { throw TestSetupError("no socket") }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let ok = withUnsafeMutablePointer(to: &address) { pointer in
        pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
            bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 && (!listening || listen(fd, 1) == 0)
        }
    }
    guard ok else {
        close(fd)
        throw TestSetupError(listening ? "cannot listen on a loopback port" : "no free port")
    }
    return (fd, Int(UInt16(bigEndian: address.sin_port)))
}

/// Runs `body` with a loopback port that is bound but not listening, so connecting is
/// refused, and no parallel test can take the port while `body` runs.
public func withRefusingLoopbackPort<T>(_ body: (Int) async throws -> T) async throws -> T {
    let (fd, port) = try boundLoopbackSocket()
    defer { close(fd) }
    return try await body(port)
}

/// Runs `body` with a loopback port that something listens on, so binding it fails.
public func withListeningLoopbackPort<T>(_ body: (Int) async throws -> T) async throws -> T {
    let (fd, port) = try boundLoopbackSocket(listening: true)
    defer { close(fd) }
    return try await body(port)
}
