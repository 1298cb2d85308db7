import ArgumentParser
import PaladinClient
import PaladinWire

/// `paladin health`: asks the server whether it (or one service) is serving.
struct Health: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check whether the server (or one service) is serving.",
        discussion: "Prints SERVING or NOT_SERVING. Exits 0 when serving, 1 otherwise."
    )

    @OptionGroup var connection: ConnectionOptions

    @Option(help: "A service name such as paladin.v1.GarrisonService; empty for the whole server.")
    var service: String = ""

    func run() async throws {
        let status = try await connection.withConnection { conn in
            var request = Paladin_V1_HealthCheckRequest()
            request.service = service
            return try await Paladin_V1_HealthClient(conn).check(request, options: connection.callOptions).status
        }
        let text: String = switch status {
        case .serving: "SERVING"
        case .notServing: "NOT_SERVING"
        case .serviceUnknown: "SERVICE_UNKNOWN"
        default: "UNKNOWN"
        }
        print(text)
        if status != .serving { throw ExitCode(1) }
    }
}
