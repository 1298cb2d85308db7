import ArgumentParser
import Foundation
import PaladinClient
import PaladinWire

/// `paladin garrison ...`: conversation memory per session.
struct GarrisonCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "garrison",
        abstract: "Read and write conversation memory (per session).",
        subcommands: [Append.self, History.self, Search.self, Clear.self, Sessions.self, Delete.self]
    )

    struct Append: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Append one entry to a session (created on first use).")
        @OptionGroup var connection: ConnectionOptions
        @Argument(help: "Session id: 1-128 characters of A-Z a-z 0-9 . _ : -") var session: String
        @Argument(help: "The text; '-' reads it from standard input.") var content: String
        @Option(help: "system, user, assistant or tool.") var role: String = "user"
        @Option(help: "0 (lowest) to 100 (highest).") var importance: UInt32 = 0

        func run() async throws {
            guard let wireRole = GarrisonFormat.role(named: role) else {
                throw ValidationError("--role must be system, user, assistant or tool, not '\(role)'")
            }
            var entry = Paladin_V1_GarrisonEntry()
            entry.role = wireRole
            entry.content = content == "-" ? String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self) : content
            entry.importance = importance
            var request = Paladin_V1_AppendRequest()
            request.sessionID = session
            request.entries = [entry]
            let response = try await connection.withConnection { conn in
                try await Paladin_V1_GarrisonServiceClient(conn).append(request, options: connection.callOptions)
            }
            print("appended id \(response.ids.map(String.init).joined(separator: ", "))"
                  + (response.evicted > 0 ? " (evicted \(response.evicted))" : ""))
        }
    }

    struct History: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show a session's newest entries, oldest first.")
        @OptionGroup var connection: ConnectionOptions
        @Argument(help: "Session id.") var session: String
        @Option(help: "How many of the newest entries (per page with --all); 0 for as many as a page holds.")
        var limit: UInt32 = 20
        @OptionGroup var page: PageOptions

        func run() async throws {
            var request = Paladin_V1_HistoryRequest()
            request.sessionID = session
            request.limit = limit
            let pages = try await connection.withConnection { conn in
                try await page.pages(request) { try await Paladin_V1_GarrisonServiceClient(conn).history($0, options: connection.callOptions) }
            }
            // Pages go from newest to oldest, each oldest first: print them oldest first.
            GarrisonFormat.print(pages.reversed().flatMap(\.entries))
            page.noteNextPage(pages)
        }
    }

    struct Search: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Find a session's entries that contain every word of a query.")
        @OptionGroup var connection: ConnectionOptions
        @Argument(help: "Session id.") var session: String
        @Argument(help: "Words to find (case-insensitive).") var query: String
        @Option(help: "At most this many matches (per page with --all), newest first.") var limit: UInt32 = 20
        @OptionGroup var page: PageOptions

        func run() async throws {
            var request = Paladin_V1_SearchRequest()
            request.sessionID = session
            request.query = query
            request.limit = limit
            let pages = try await connection.withConnection { conn in
                try await page.pages(request) { try await Paladin_V1_GarrisonServiceClient(conn).search($0, options: connection.callOptions) }
            }
            GarrisonFormat.print(pages.flatMap(\.entries))
            page.noteNextPage(pages)
        }
    }

    struct Clear: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Remove a session's entries but keep the session.")
        @OptionGroup var connection: ConnectionOptions
        @Argument(help: "Session id.") var session: String
        @Flag(help: "Keep system entries.") var keepSystem = false

        func run() async throws {
            var request = Paladin_V1_ClearRequest()
            request.sessionID = session
            request.keepSystem = keepSystem
            let response = try await connection.withConnection { conn in
                try await Paladin_V1_GarrisonServiceClient(conn).clear(request, options: connection.callOptions)
            }
            print("removed \(response.removed) entries")
        }
    }

    struct Sessions: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List sessions, most recently active first.")
        @OptionGroup var connection: ConnectionOptions
        @Option(help: "At most this many sessions (per page with --all).") var limit: UInt32 = 100
        @OptionGroup var page: PageOptions

        func run() async throws {
            var request = Paladin_V1_ListSessionsRequest()
            request.limit = limit
            let pages = try await connection.withConnection { conn in
                try await page.pages(request) {
                    try await Paladin_V1_GarrisonServiceClient(conn).listSessions($0, options: connection.callOptions)
                }
            }
            defer { page.noteNextPage(pages) }
            let sessions = pages.flatMap(\.sessions)
            if sessions.isEmpty { print("no sessions") }
            for session in sessions {
                print("\(session.sessionID)\t\(session.entryCount) entries\t\(session.tokenCount) tokens\tlast active \(GarrisonFormat.time(session.lastActivityUs))")
            }
        }
    }

    struct Delete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Delete a session and all its entries.")
        @OptionGroup var connection: ConnectionOptions
        @Argument(help: "Session id.") var session: String

        func run() async throws {
            var request = Paladin_V1_DeleteSessionRequest()
            request.sessionID = session
            let response = try await connection.withConnection { conn in
                try await Paladin_V1_GarrisonServiceClient(conn).deleteSession(request, options: connection.callOptions)
            }
            print("deleted session \(session) (\(response.removed) entries)")
        }
    }
}

/// Text output for garrison entries.
enum GarrisonFormat {
    static func role(named name: String) -> Paladin_V1_Role? {
        switch name.lowercased() {
        case "system": .system
        case "user": .user
        case "assistant": .assistant
        case "tool": .tool
        default: nil
        }
    }

    static func name(of role: Paladin_V1_Role) -> String {
        switch role {
        case .system: "system"
        case .user: "user"
        case .assistant: "assistant"
        case .tool: "tool"
        default: "?"
        }
    }

    static func time(_ micros: Int64) -> String {
        let formatter = ISO8601DateFormatter()
        return formatter.string(from: Date(timeIntervalSince1970: Double(micros) / 1_000_000))
    }

    static func print(_ entries: [Paladin_V1_GarrisonEntry]) {
        if entries.isEmpty { Swift.print("no entries") }
        for entry in entries {
            Swift.print("#\(entry.id) \(time(entry.createdAtUs)) \(name(of: entry.role)) (\(entry.tokenCount) tokens): \(entry.content)")
        }
    }
}
