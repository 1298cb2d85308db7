import ArgumentParser

/// The `paladin` command: runs the server and talks to one.
@main
struct Paladin: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "paladin",
        abstract: "Multi-agent LLM orchestration over a framed protobuf RPC protocol.",
        discussion: """
        Start a server with `paladin serve`, then call it with the other commands.
        Client commands reach 127.0.0.1:50051 unless --host/--port or PALADIN_ADDRESS say otherwise.
        """,
        version: "0.1.0",
        subcommands: [Serve.self, RunCommand.self, BattalionCommand.self, RunsCommand.self, PaladinsCommand.self,
                      GarrisonCommand.self, ConfigCommand.self, Health.self, Info.self]
    )
}
