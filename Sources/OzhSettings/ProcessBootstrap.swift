import Foundation

/// Start-up shared by every executable: settings (a problem is one line on stderr and exit 2),
/// then logging and metrics (the services' `start(_:validate:)`, in the domain).
public enum ProcessBootstrap {
    /// A process's own settings type read from the environment and the `.env` file, as every
    /// process reads them (``SettingsSource/load(environment:)``): a missing or malformed value
    /// is one line on stderr naming the variable (`<name>: <VARIABLE> is invalid: …`) and exit 2.
    /// The sandbox and the queue probe read theirs with it; the services through ``start(_:validate:)``.
    public static func settings<T>(_ name: String, _ read: (SettingsSource) throws(SettingsError) -> T) async -> T {
        do {
            return try read(try await SettingsSource.load())
        } catch let error as SettingsError {
            FileHandle.standardError.write(Data("\(name): \(error.message)\n".utf8))
            exit(2)
        } catch {
            FileHandle.standardError.write(Data("\(name): cannot read settings: \(error)\n".utf8))
            exit(2)
        }
    }
}
