import ArgumentParser
import Foundation
import PaladinServer

/// `paladin config check FILE`: finds every mistake in a configuration file without serving.
struct ConfigCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config",
        abstract: "Check configuration files.",
        subcommands: [Check.self, Defaults.self]
    )

    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Report every problem in a configuration file, with its path; exit 1 if any.",
            discussion: """
            Checks what `paladin serve --config FILE` would: YAML syntax, unknown keys, ranges,
            providers (and that their api_key_env variables are set), paladins (provider, tools,
            fields), battalions (members that exist, flows that parse). Nothing is started.
            """
        )
        @Argument(help: "The YAML file.") var file: String

        func run() async throws {
            do {
                let config = try PaladinConfig.load(path: file)
                try ServerAssembly.checkEnvironment(config, file: file)
                print("\(file): ok (\(config.providers.count) providers, \(config.paladins.count) paladins, "
                      + "\(config.battalions.count) battalions)")
            } catch let error as ConfigError {
                print(error.description)
                throw ExitCode(1)
            }
        }
    }

    struct Defaults: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the embedded default configuration (a starting point for your own).")

        func run() async throws {
            print(PaladinConfig.embeddedDefaultsYAML, terminator: "")
        }
    }
}
