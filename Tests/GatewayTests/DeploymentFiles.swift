import Foundation
import OzhDomain
import OzhSettings
import TestSupport
import Testing
import Yams

/// The repository's deployment files (`deploy/k8s/`, `docker-compose.yml`, the compose env
/// files), parsed for the deployment tests.
enum DeploymentFiles {
    /// The repository root (`<root>/Tests/GatewayTests/DeploymentFiles.swift`).
    static let root = TestPackage.root
    static let k8sDirectory = root.appendingPathComponent("deploy/k8s")
    static let composeFile = root.appendingPathComponent("docker-compose.yml")
    static let composeEnvDirectory = root.appendingPathComponent("deploy/compose")

    /// The files `deploy/k8s/kustomization.yaml` lists, in its order.
    static func kustomizationResources() throws -> [String] {
        let text = try String(contentsOf: k8sDirectory.appendingPathComponent("kustomization.yaml"), encoding: .utf8)
        let resources = YAMLPath(try Yams.load(yaml: text))["resources"].array.compactMap(\.string)
        guard !resources.isEmpty else { throw TestSetupError("kustomization.yaml lists no resources") }
        return resources
    }

    /// Every object of every file the kustomization lists.
    static func k8sObjects() throws -> [K8sObject] {
        try kustomizationResources().flatMap { file in
            let text = try String(contentsOf: k8sDirectory.appendingPathComponent(file), encoding: .utf8)
            return try Yams.load_all(yaml: text).compactMap { document -> K8sObject? in
                let node = YAMLPath(document)
                guard node.value != nil else { return nil }
                guard let apiVersion = node["apiVersion"].string, let kind = node["kind"].string,
                    let name = node["metadata", "name"].string
                else {
                    throw TestSetupError("\(file): a document without apiVersion, kind or metadata.name")
                }
                return K8sObject(file: file, apiVersion: apiVersion, kind: kind, name: name, body: node)
            }
        }
    }

    /// `docker-compose.yml`, loaded (anchors and `<<` merges resolved, nothing interpolated).
    static func compose() throws -> YAMLPath {
        YAMLPath(try Yams.load(yaml: try String(contentsOf: composeFile, encoding: .utf8)))
    }

    /// `KEY=VALUE` lines of an env file under `deploy/compose/` (comments and blanks skipped).
    static func envFile(_ name: String) throws -> [String: String] {
        let text = try String(contentsOf: composeEnvDirectory.appendingPathComponent(name), encoding: .utf8)
        var values: [String: String] = [:]
        for line in text.split(separator: "\n") {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            guard !trimmed.isEmpty, !trimmed.hasPrefix("#"), let equals = trimmed.firstIndex(of: "=") else { continue }
            values[String(trimmed[..<equals])] = String(trimmed[trimmed.index(after: equals)...])
        }
        return values
    }

    /// Compose's interpolation of `${NAME}`, `${NAME:-default}`, `${NAME-default}`,
    /// `${NAME:?message}` and `${NAME?message}`, with `variables` as the shell and env file.
    /// Returns the text and the required variables that were missing.
    static func interpolate(_ text: String, _ variables: [String: String]) -> (text: String, missing: [String]) {
        var output = "", missing: [String] = []
        var rest = Substring(text)
        while let start = rest.range(of: "${") {
            output += rest[..<start.lowerBound]
            guard let end = rest[start.upperBound...].firstIndex(of: "}") else { break }
            let body = rest[start.upperBound..<end]
            rest = rest[rest.index(after: end)...]
            let name = String(body.prefix { $0.isLetter || $0.isNumber || $0 == "_" })
            let modifier = body.dropFirst(name.count)
            let value = variables[name]
            let colon = modifier.hasPrefix(":")
            let operation = modifier.dropFirst(colon ? 1 : 0).first
            let argument = String(modifier.dropFirst(colon ? 2 : 1))
            let unset = value == nil || (colon && value == "")
            switch operation {
            case "-": output += unset ? argument : value!
            case "?":
                if unset { missing.append(name) } else { output += value! }
            default: output += value ?? ""
            }
        }
        output += rest
        return (output, missing)
    }

    /// A compose service's `environment`, interpolated with `variables`.
    static func composeEnvironment(_ service: YAMLPath, _ variables: [String: String]) -> (values: [String: String], missing: [String]) {
        var values: [String: String] = [:], missing: [String] = []
        for (key, value) in service["environment"].mapping {
            let (text, absent) = interpolate(value.scalarText ?? "", variables)
            values[key] = text
            missing += absent
        }
        return (values, missing)
    }

    /// A duration as Compose writes it (`70s`, `1m30s`, `500ms`).
    static func composeDuration(_ text: String) -> Duration? {
        var total = Duration.zero, number = ""
        var rest = Substring(text)
        while let character = rest.first {
            if character.isNumber { number.append(character); rest = rest.dropFirst(); continue }
            guard let value = Int64(number) else { return nil }
            number = ""
            if rest.hasPrefix("ms") {
                total += .milliseconds(value); rest = rest.dropFirst(2)
            } else if rest.hasPrefix("s") {
                total += .seconds(value); rest = rest.dropFirst()
            } else if rest.hasPrefix("m") {
                total += .seconds(value * 60); rest = rest.dropFirst()
            } else if rest.hasPrefix("h") {
                total += .seconds(value * 3600); rest = rest.dropFirst()
            } else {
                return nil
            }
        }
        return number.isEmpty && total > .zero ? total : nil
    }
}

/// One Kubernetes object of the manifests.
struct K8sObject {
    let file: String
    let apiVersion: String
    let kind: String
    let name: String
    let body: YAMLPath

    var label: String { "\(file): \(kind)/\(name)" }
}

/// A loaded YAML value with safe navigation: `node["spec", "template"]`, `node[0]`.
struct YAMLPath {
    let value: Any?

    init(_ value: Any?) { self.value = value }

    subscript(_ keys: String...) -> YAMLPath {
        keys.reduce(self) { node, key in YAMLPath((node.value as? [String: Any])?[key]) }
    }

    subscript(_ index: Int) -> YAMLPath {
        guard let array = value as? [Any], array.indices.contains(index) else { return YAMLPath(nil) }
        return YAMLPath(array[index])
    }

    var string: String? { value as? String }
    var int: Int? { value as? Int }
    var bool: Bool? { value as? Bool }
    var array: [YAMLPath] { (value as? [Any])?.map(YAMLPath.init) ?? [] }
    var mapping: [(key: String, value: YAMLPath)] {
        ((value as? [String: Any]) ?? [:]).map { ($0.key, YAMLPath($0.value)) }.sorted { $0.key < $1.key }
    }
    var keys: Set<String> { Set(((value as? [String: Any]) ?? [:]).keys) }
    /// A scalar as the text Kubernetes or Compose would see (`8000`, `true`, `ozh:`).
    var scalarText: String? {
        switch value {
        case let text as String: return text
        case let number as Int: return String(number)
        case let flag as Bool: return flag ? "true" : "false"
        case let number as Double: return String(number)
        default: return nil
        }
    }
}

/// What each executable needs beyond ``Settings``' own validation, as its `main.swift`
/// checks at start-up; nil when `settings` satisfy `executable`.
func startUpProblem(of executable: String, with settings: Settings) -> String? {
    switch executable {
    case "ozh-gateway":
        do {
            try settings.gateway.requireAPIKeys()
            _ = try settings.gemini.gatewayProjects()
        } catch {
            return error.message
        }
        return nil
    case "ozh-generation-worker":
        // An empty keyring starts, but every job would fail: a deployment must give keys.
        // Sources/GenerationWorker/main.swift refuses malformed keys and a GEMINI_PROJECTS naming others.
        do {
            let keyring = try settings.gemini.keyring()
            return keyring.isEmpty ? "GEMINI_API_KEYS_STR is not set" : nil
        } catch {
            return error.message
        }
    case "ozh-payment-worker":
        // Sources/PaymentWorker/main.swift refuses to start without these three.
        do { _ = try settings.yookassa.requireShop() } catch { return error.message }
        if settings.payments.telegramBotUsername == nil { return "TELEGRAM_BOT_USERNAME is not set" }
        return nil
    default:
        return "\(executable) is not a service executable"
    }
}

/// Loads ``Settings`` from `values` and checks what `executable` needs; the problem, or nil.
func settingsProblem(of executable: String, with values: [String: String]) -> String? {
    do {
        return startUpProblem(of: executable, with: try Settings(source: SettingsSource(values: values)))
    } catch {
        return error.message
    }
}

/// The variables the services read: ``Settings`` loaded through a ``SettingsRecorder`` from
/// a minimal environment and from each of `environments` (so a setting read only when
/// another is set still counts).
func settingsTheServicesRead(_ environments: [[String: String]]) throws -> Set<String> {
    let recorder = SettingsRecorder()
    let minimal = ["MONGO_URI": "mongodb://127.0.0.1:27017", "REDIS_URL": "redis://127.0.0.1:6379/0"]
    _ = try Settings(source: SettingsSource(values: minimal, recorder: recorder))
    for values in environments {
        _ = try? Settings(source: SettingsSource(values: values, recorder: recorder))
    }
    return recorder.recorded
}

/// Runs `executable` with `arguments` in the repository root; its exit status and output.
/// Bounded: the tool is killed after `limit`.
func runTool(_ executable: String, _ arguments: [String], within limit: Duration = .seconds(120)) async throws
    -> (status: Int32, output: String)
{
    let log = FileManager.default.temporaryDirectory.appendingPathComponent("tool-\(UUID().uuidString).log")
    FileManager.default.createFile(atPath: log.path, contents: nil)
    defer { try? FileManager.default.removeItem(at: log) }
    let handle = try FileHandle(forWritingTo: log)
    defer { try? handle.close() }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    process.currentDirectoryURL = DeploymentFiles.root
    process.standardOutput = handle
    process.standardError = handle
    try process.run()
    let deadline = ContinuousClock.now + limit
    while process.isRunning, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(50)) }
    if process.isRunning {
        process.terminate()
        throw TestSetupError("\(executable) \(arguments.joined(separator: " ")) did not finish within \(limit)")
    }
    return (process.terminationStatus, (try? String(contentsOf: log, encoding: .utf8)) ?? "")
}
