import ArgumentParser
import Foundation
import PaladinClient
import PaladinWire

/// Where client commands connect, shared by every client command.
struct ConnectionOptions: ParsableArguments {
    @Option(name: .long, help: "Server host (default: from PALADIN_ADDRESS, else 127.0.0.1).")
    var host: String?

    @Option(name: .long, help: "Server port (default: from PALADIN_ADDRESS, else 50051).")
    var port: Int?

    @Option(name: .long, help: "Call deadline in seconds (default 30; 600 for runs and executions).")
    var timeout: Double?

    @Option(name: .long, help: "Name of an environment variable holding the server's auth token.")
    var authTokenEnv: String = "PALADIN_AUTH_TOKEN"

    /// Host and port after flags and PALADIN_ADDRESS ("host:port") are applied.
    var address: (host: String, port: Int) {
        var host = "127.0.0.1", port = 50051
        if let env = ProcessInfo.processInfo.environment["PALADIN_ADDRESS"], let colon = env.lastIndex(of: ":") {
            host = String(env[..<colon])
            port = Int(env[env.index(after: colon)...]) ?? port
        }
        return (self.host ?? host, self.port ?? port)
    }

    /// Options for quick calls: `--timeout`, else 30 s.
    var callOptions: CallOptions { CallOptions(timeout: .milliseconds(Int64((timeout ?? 30) * 1000))) }

    /// Options for calls that run models: `--timeout`, else 10 minutes.
    var runOptions: CallOptions { CallOptions(timeout: .milliseconds(Int64((timeout ?? 600) * 1000))) }

    /// Connects, runs `body`, closes; turns every failure into one friendly line and exit code 1.
    func withConnection<T>(_ body: (PaladinConnection) async throws -> T) async throws -> T {
        let (host, port) = address
        var configuration = ClientConfiguration()
        configuration.agent = "paladin-cli/\(PaladinVersion.current)"
        configuration.authToken = ProcessInfo.processInfo.environment[authTokenEnv] ?? ""
        let connection: PaladinConnection
        do {
            connection = try await PaladinConnection.connect(host: host, port: port, configuration: configuration)
        } catch let error as RPCError {
            throw CLIError("cannot reach the paladin server at \(host):\(port): \(error.message)")
        }
        do {
            let result = try await body(connection)
            await connection.close()
            return result
        } catch let error as RPCError {
            await connection.close()
            let hint = error.code == .unavailable && error.message.hasPrefix("model provider")
                ? "\nhint: is the model server up? For the local model: bash scripts/local-model start" : ""
            throw CLIError("\(error.code): \(error.message)\(hint)")
        }
    }
}

/// A one-line error for the terminal; ArgumentParser prints "Error: <message>" and exits 1.
struct CLIError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
