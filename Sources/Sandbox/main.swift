import Foundation
import Logging

// ozh-sandbox: a local emulator of the Gemini image-generation API (quotas per project,
// Google-shaped errors, injectable faults) for demos, tests and benchmarks.
let configuration: SandboxConfiguration
do {
    configuration = try SandboxConfiguration(environment: ProcessInfo.processInfo.environment)
} catch {
    FileHandle.standardError.write(Data("ozh-sandbox: \(error.description)\n".utf8))
    exit(2)
}
let level = Logger.Level(rawValue: configuration.logLevel.lowercased()) ?? .info
LoggingSystem.bootstrap { label in
    var handler = StreamLogHandler.standardError(label: label)
    handler.logLevel = level
    return handler
}
// Hummingbird's runService puts the server in a ServiceGroup that drains on SIGTERM/SIGINT.
try await buildSandbox(configuration: configuration).runService()
