import Foundation
import PaladinClient
import PaladinCore
@testable import PaladinServer
import PaladinStore
import PaladinWire
import Testing

/// Human approval over loopback with the real client: a member with an approval rule pauses its
/// run (stored WAITING_APPROVAL, no task); ApproveStep approves, edits or rejects; deadlines.
@Suite("Human approval", .timeLimit(.minutes(1)))
struct ApprovalTests {
    static func provider() -> ScriptedProvider {
        let provider = ScriptedProvider()
        for name in ["a", "b", "c"] {
            provider.fallback(name, .computed { "\(name) got: " + ($0.messages.last?.content ?? "") })
        }
        return provider
    }

    /// a → b → c, b needing approval with `rule`.
    static func define(_ rule: Paladin_V1_ApprovalRule, strategy: Paladin_V1_ErrorStrategy = .failFast,
                       on connection: PaladinConnection) async throws {
        try await createPaladins(["a", "c"], on: connection)
        var b = Paladin_V1_CreatePaladinRequest()
        b.definition = paladinDefinition("b")
        b.definition?.approval = rule
        _ = try await Paladin_V1_PaladinServiceClient(connection).createPaladin(b)
        try await createBattalion("gated", formation(["a", "b", "c"]), strategy: strategy, on: connection)
    }

    static func rule(reason: String = "b would act on: {input}", timeoutMs: UInt64 = 0,
                     onTimeout: Paladin_V1_ApprovalTimeoutAction = .unspecified) -> Paladin_V1_ApprovalRule {
        var rule = Paladin_V1_ApprovalRule()
        rule.when = .beforeRun
        rule.reason = reason
        rule.timeoutMs = timeoutMs
        rule.onTimeout = onTimeout
        return rule
    }

    static func startAndWaitForApproval(_ client: Paladin_V1_BattalionServiceClient, store: any RunStore) async throws -> String {
        var request = Paladin_V1_RunRequest()
        request.battalion = "gated"
        request.input = "go"
        let id = try await client.startRun(request).id
        try await DetachedRunTests.waitUntil { try await store.get(id)?.status == .waitingApproval }
        return id
    }

    static func approve(_ id: String, _ step: String, _ decision: Paladin_V1_ApprovalDecision, comment: String = "",
                        edit: String = "") -> Paladin_V1_ApproveStepRequest {
        var request = Paladin_V1_ApproveStepRequest()
        request.runID = id
        request.step = step
        request.decision = decision
        request.comment = comment
        request.editedInput = edit
        return request
    }

    @Test("the run pauses before b; approving with an edited input resumes it under its id and b gets the edit")
    func approveWithAnEdit() async throws {
        let provider = Self.provider()
        let store: any RunStore = InMemoryRunStore()
        try await withTestServer(services: scriptedServices(provider, runStore: store)) { server in
            let connection = try await server.connect()
            try await Self.define(Self.rule(), on: connection)
            let client = Paladin_V1_BattalionServiceClient(connection)
            let id = try await Self.startAndWaitForApproval(client, store: store)

            var get = Paladin_V1_GetRunRequest()
            get.id = id
            let waiting = try await client.getRun(get)
            #expect(waiting.status == .waitingApproval && waiting.approvals.count == 1)
            let approval = try #require(waiting.approvals.first)
            #expect(approval.step == "b#1" && approval.member == "b" && approval.input == "a got: go")
            #expect(approval.reason == "b would act on: a got: go" && approval.decision == .pending && approval.deadlineUs == 0)
            #expect(provider.requests(from: "b").isEmpty)

            // A watcher attached now sees the run up to its pause, then the result WAITING_APPROVAL.
            var attach = Paladin_V1_RunRequest()
            attach.attachRunID = id
            let seen = try await client.runStream(attach).reduce(into: [String]()) { $0.append(DetachedRunTests.line($1)) }
            #expect(seen.prefix(3) == ["started", "a started", "a finished: a got: go"])
            #expect(seen.suffix(2) == ["approval b#1", "result waitingApproval"])

            await expectStatus(.notFound) { _ = try await client.approveStep(Self.approve(id, "c#1", .approved)) }
            let resumed = try await client.approveStep(Self.approve(id, "b#1", .approved, comment: "fine", edit: "edited"))
            #expect(resumed.id == id && resumed.status == .running && resumed.attempt == 1)
            try await DetachedRunTests.waitUntil { try await store.get(id)?.status == .completed }
            let done = try await client.getRun(get)
            #expect(done.finalOutput == "c got: b got: edited")
            #expect(done.approvals.first?.decision == .approved && done.approvals.first?.comment == "fine"
                    && done.approvals.first?.editedInput == "edited")
            #expect(provider.requests(from: "a").count == 1)  // replayed, not called again

            await expectStatus(.failedPrecondition) { _ = try await client.approveStep(Self.approve(id, "b#1", .rejected)) }
            await expectStatus(.failedPrecondition) { _ = try await client.approveStep(Self.approve(id, "c#1", .approved)) }
            await expectStatus(.notFound) { _ = try await client.approveStep(Self.approve("run-none", "b#1", .approved)) }
            await expectStatus(.invalidArgument) { _ = try await client.approveStep(Self.approve(id, "b#1", .pending)) }
            await expectStatus(.invalidArgument) { _ = try await client.approveStep(Self.approve(id, "b#1", .rejected, edit: "x")) }
            await connection.close()
        }
    }

    @Test("a rejected step follows the error strategy: fail_fast fails the run, continue_on_error goes on")
    func rejectFollowsTheErrorStrategy() async throws {
        for strategy in [Paladin_V1_ErrorStrategy.failFast, .continueOnError] {
            let provider = Self.provider()
        let store: any RunStore = InMemoryRunStore()
            try await withTestServer(services: scriptedServices(provider, runStore: store)) { server in
                let connection = try await server.connect()
                try await Self.define(Self.rule(), strategy: strategy, on: connection)
                let client = Paladin_V1_BattalionServiceClient(connection)
                let id = try await Self.startAndWaitForApproval(client, store: store)
                _ = try await client.approveStep(Self.approve(id, "b#1", .rejected, comment: "too risky"))
                try await DetachedRunTests.waitUntil {
                    let status = try await store.get(id)?.status
                    return status == .completed || status == .failed
                }
                let run = try #require(try await store.get(id))
                let b = run.steps.first { $0.member == "b" }
                #expect(b?.status == .failed && b?.error == "rejected by the approver: too risky")
                #expect(provider.requests(from: "b").isEmpty)
                if strategy == .failFast {
                    #expect(run.status == .failed && provider.requests(from: "c").isEmpty)
                } else {
                    #expect(run.status == .completed && provider.requests(from: "c").count == 1)
                }
                await connection.close()
            }
        }
    }

    @Test("a deadline ends the wait: on_timeout reject rejects the step, fail fails the run")
    func deadlines() async throws {
        for action in [Paladin_V1_ApprovalTimeoutAction.reject, .fail] {
            let provider = Self.provider()
        let store: any RunStore = InMemoryRunStore()
            try await withTestServer(services: scriptedServices(provider, runStore: store)) { server in
                let connection = try await server.connect()
                try await Self.define(Self.rule(timeoutMs: 60_000, onTimeout: action), strategy: .continueOnError, on: connection)
                let client = Paladin_V1_BattalionServiceClient(connection)
                let id = try await Self.startAndWaitForApproval(client, store: store)
                let deadline = try #require(try await store.get(id)?.approvals.first?.deadlineMicros)
                await server.services.runs.superviseApprovals(catalog: server.services.catalog, nowMicros: deadline - 1)
                #expect(try await store.get(id)?.approvals.first?.decision == .pending)  // not yet
                await server.services.runs.superviseApprovals(catalog: server.services.catalog, nowMicros: deadline)
                try await DetachedRunTests.waitUntil {
                    let status = try await store.get(id)?.status
                    return status == .completed || status == .failed
                }
                let run = try #require(try await store.get(id))
                #expect(run.approvals.first?.decision == .expired)
                if action == .fail {
                    #expect(run.status == .failed && run.error?.contains("before its deadline") == true)
                    #expect(provider.requests(from: "c").isEmpty)
                } else {
                    #expect(run.status == .completed && run.steps.first { $0.member == "b" }?.status == .failed)
                }
                await connection.close()
            }
        }
    }

    @Test("CancelRun ends a run that waits for approval; its approval can no longer be decided")
    func cancellingAWaitingRun() async throws {
        let provider = Self.provider()
        let store: any RunStore = InMemoryRunStore()
        try await withTestServer(services: scriptedServices(provider, runStore: store)) { server in
            let connection = try await server.connect()
            try await Self.define(Self.rule(timeoutMs: 60_000, onTimeout: .fail), on: connection)
            let client = Paladin_V1_BattalionServiceClient(connection)
            let id = try await Self.startAndWaitForApproval(client, store: store)
            var cancel = Paladin_V1_CancelRunRequest()
            cancel.id = id
            #expect(try await client.cancelRun(cancel).cancelled)
            let run = try #require(try await store.get(id))
            #expect(run.status == .cancelled && run.error == "cancelled while waiting for approval")
            #expect(try await client.cancelRun(cancel).cancelled == false)
            // Its deadline passing later changes nothing but the approval.
            let deadline = try #require(run.approvals.first?.deadlineMicros)
            await server.services.runs.superviseApprovals(catalog: server.services.catalog, nowMicros: deadline)
            let after = try #require(try await store.get(id))
            #expect(after.status == .cancelled && after.approvals.first?.decision == .expired)
            await expectStatus(.failedPrecondition) { _ = try await client.approveStep(Self.approve(id, "b#1", .approved)) }
            await connection.close()
        }
    }

    @Test("before_tools is not built: INVALID_ARGUMENT naming the field")
    func beforeToolsIsRefused() async throws {
        try await withTestServer(services: scriptedServices(Self.provider())) { server in
            let connection = try await server.connect()
            var request = Paladin_V1_CreatePaladinRequest()
            request.definition = paladinDefinition("t")
            var rule = Self.rule()
            rule.when = .beforeTools
            request.definition?.approval = rule
            let error = await expectStatus(.invalidArgument) { _ = try await Paladin_V1_PaladinServiceClient(connection).createPaladin(request) }
            #expect(error?.details["field"] == "definition.approval.when")
            await connection.close()
        }
    }

    @Test("a paused run survives a restart and is approved in the next life (SQLite)")
    func aPausedRunSurvivesARestart() async throws {
        let (path, remove) = try RunRecoveryTests.databasePath()
        defer { remove() }
        func life<T>(_ provider: ScriptedProvider, _ body: (TestServer, SQLiteRunStore, PaladinConnection) async throws -> T) async throws -> T {
            let database = try SQLiteDatabase(StoreConfiguration(path: path, sessionTTL: nil, readers: 1))
            defer { database.close() }
            let store = SQLiteRunStore(database: database)
            return try await withTestServer(services: scriptedServices(provider, runStore: store)) { server in
                let connection = try await server.connect()
                try await Self.define(Self.rule(), on: connection)
                let result = try await body(server, store, connection)
                await connection.close()
                return result
            }
        }
        let id = try await life(Self.provider()) { _, store, connection in
            try await Self.startAndWaitForApproval(Paladin_V1_BattalionServiceClient(connection), store: store)
        }
        let provider = Self.provider()
        try await life(provider) { server, store, connection in
            #expect(try await store.markInterrupted().isEmpty)  // waiting is not running
            let recovery = await server.services.runs.resumeInterrupted(catalog: server.services.catalog)
            #expect(recovery.resumed.isEmpty)  // still pending: nothing to resume
            let client = Paladin_V1_BattalionServiceClient(connection)
            _ = try await client.approveStep(Self.approve(id, "b#1", .approved))
            try await DetachedRunTests.waitUntil { try await store.get(id)?.status == .completed }
            let run = try #require(try await store.get(id))
            #expect(run.finalOutput == "c got: b got: a got: go" && provider.requests(from: "a").isEmpty)
        }
    }
}
