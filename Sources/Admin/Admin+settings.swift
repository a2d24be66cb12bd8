import ArgumentParser
import Foundation
import OzhSettings
import OzhSupport

extension Admin {
    /// The environment and the `.env` file, as the services read them; an unreadable `.env` is a
    /// ``SettingsError`` on `OZH_ENV_FILE`.
    static func settingsSource() async throws(SettingsError) -> SettingsSource {
        do {
            return try await SettingsSource.load()
        } catch {
            throw .invalid(variable: "OZH_ENV_FILE", reason: "the .env file cannot be read")
        }
    }

    /// Prints why `command` could not run (`ozh-admin <command>: code: message`, one line on
    /// stderr) and returns exit status 2.
    static func fail(_ command: String, _ error: any CodedError) -> ExitCode {
        FileHandle.standardError.write(Data("ozh-admin \(command): \(error.description)\n".utf8))
        return ExitCode(2)
    }
}
