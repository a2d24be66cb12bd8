import Foundation
import TestSupport
import Testing

@testable import OzhDomain
@testable import OzhHTTP
@testable import OzhSupport

/// TLS against `openssl s_server -www` on 127.0.0.1 with a self-signed certificate made at
/// test time. Skipped when the `openssl` CLI is missing.
@Suite("HTTPClient TLS")
struct HTTPClientTLSTests {
    @Test(.enabled(if: Executables.which("openssl") != nil))
    func certificateVerification() async throws {
        let openssl = try #require(Executables.which("openssl"))
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("ozh-http-tls-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let cert = directory.appendingPathComponent("cert.pem").path
        let key = directory.appendingPathComponent("key.pem").path

        let made = try await TestProcess.run(
            openssl,
            [
                "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", key, "-out", cert, "-days", "1", "-subj", "/CN=localhost",
                "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
            ])
        try #require(made.status == 0, "openssl req failed: \(made.output)")

        let server = try await TLSTestServer.start(openssl: openssl, cert: cert, key: key, in: directory)
        do {
            let url = "https://127.0.0.1:\(server.port)/"
            let trusted = HTTPClient(configuration: .init(caInfo: cert))
            let response = try await trusted.execute(HTTPRequest(url: url, timeout: .seconds(5)))
            #expect(response.status == 200)

            let error = await #expect(throws: HTTPClientError.self) {
                try await HTTPClient().execute(HTTPRequest(url: url, timeout: .seconds(5)))
            }
            #expect(error?.code == "http_tls", "got \(String(describing: error))")

            let insecure = HTTPClient(configuration: .init(insecureSkipVerify: true))
            #expect(try await insecure.execute(HTTPRequest(url: url, timeout: .seconds(5))).status == 200)
        } catch {
            await server.stop()
            throw error
        }
        await server.stop()
    }
}

/// `openssl s_server -www` on 127.0.0.1, a port of its choosing.
struct TLSTestServer: Sendable {
    let process: Process
    let port: Int

    static func start(openssl: String, cert: String, key: String, in directory: URL) async throws -> TLSTestServer {
        let logPath = directory.appendingPathComponent("s_server.log").path
        _ = FileManager.default.createFile(atPath: logPath, contents: nil)
        let log = try FileHandle(forWritingAtPath: logPath).unwrap()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: openssl)
        process.arguments = ["s_server", "-accept", "127.0.0.1:0", "-cert", cert, "-key", key, "-www"]
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = log
        process.standardError = log
        try process.run()
        // s_server prints "ACCEPT 127.0.0.1:<port>" once it listens.
        for _ in 0..<100 {
            let text = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
            if let line = text.split(separator: "\n").first(where: { $0.hasPrefix("ACCEPT ") }),
                let port = line.split(separator: ":").last.flatMap({ Int($0) })
            {
                return TLSTestServer(process: process, port: port)
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        await TLSTestServer(process: process, port: 0).stop()
        throw HTTPClientError.transport("openssl s_server did not start")
    }

    /// SIGKILL, not `terminate()`: the child inherits the blocked signal mask of the thread
    /// that spawned it (NIO threads block SIGTERM), so SIGTERM would never arrive.
    func stop() async {
        _ = kill(process.processIdentifier, SIGKILL)
        _ = try? await Blocking.run(on: Blocking.http) { [process] in process.waitUntilExit() }
    }
}

extension Optional {
    fileprivate func unwrap() throws -> Wrapped {
        guard let self else { throw HTTPClientError.transport("missing value") }
        return self
    }
}
