import Foundation
import Logging
import OzhSettings

// ozh-sandbox: a local emulator of the Gemini image-generation API (quotas per project,
// Google-shaped errors, injectable faults) for demos, tests and benchmarks.
// Read as every process reads its settings (the environment, then `.env`): a malformed value
// is one line naming the variable, and exit 2.
let configuration = await ProcessBootstrap.settings("ozh-sandbox") { source throws(SettingsError) in
    try SandboxConfiguration(source: source)
}
let level = Logger.Level(rawValue: configuration.logLevel.lowercased()) ?? .info
LoggingSystem.bootstrap { label in
    var handler = StreamLogHandler.standardError(label: label)
    handler.logLevel = level
    return handler
}
// Hummingbird's runService puts the server in a ServiceGroup that drains on SIGTERM/SIGINT.
try await buildSandbox(configuration: configuration).runService()
