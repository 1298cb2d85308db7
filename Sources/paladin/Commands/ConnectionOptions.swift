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

    @Flag(name: .long, help: "Speak TLS to the server (implied by --ca-file, --cert or --key; or PALADIN_TLS=1).")
    var tls = false

    @Option(name: .long, help: "PEM file of the CAs that sign the server certificate (default: the system's roots).")
    var caFile: String?

    @Option(name: .long, help: "PEM client certificate for servers that require mTLS (with --key).")
    var cert: String?

    @Option(name: .long, help: "PEM private key of --cert.")
    var key: String?

    @Option(name: .long, help: "Name to verify in the server certificate (default: --host).")
    var tlsServerName: String?

    /// TLS settings from the flags and PALADIN_TLS / PALADIN_CA_FILE / PALADIN_CERT / PALADIN_KEY.
    var clientTLS: ClientTLS? {
        let env = ProcessInfo.processInfo.environment
        let caFile = caFile ?? env["PALADIN_CA_FILE"], cert = cert ?? env["PALADIN_CERT"], key = key ?? env["PALADIN_KEY"]
        let wanted = tls || env["PALADIN_TLS"] == "1" || caFile != nil || cert != nil || key != nil || tlsServerName != nil
        return wanted ? ClientTLS(caFile: caFile, certificateFile: cert, keyFile: key, serverName: tlsServerName) : nil
    }

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
        configuration.tls = clientTLS
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
