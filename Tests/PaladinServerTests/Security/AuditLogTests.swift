import Crypto
import Foundation
import PaladinClient
@testable import PaladinServer
import PaladinWire
import Synchronization
import Testing

/// The audit log over the wire: one record per write with principal, tenant, method, target
/// and outcome; none for reads; never a credential.
@Suite("Audit log")
struct AuditLogTests {
    final class Collected: Sendable {
        let records = Mutex<[AuditRecord]>([])
        var log: AuditLog { AuditLog { record in self.records.withLock { $0.append(record) } } }
        var all: [AuditRecord] { records.withLock { $0 } }
    }

    @Test("creates, failed deletes and garrison writes are recorded; reads are not")
    func writesAreRecorded() async throws {
        let collected = Collected()
        let access = ServerAccess(authenticator: Authenticator(principals: [
            PrincipalSpec(principal: Principal(name: "ops", tenant: "acme", role: .operator),
                          credential: .bearerTokenDigest(Array(SHA256.hash(data: Array("ops-token".utf8))))),
        ]))
        try await withTestServer(services: scriptedServices(), extraRoutes: { $0.audit(to: collected.log) }, access: access) { server in
            let connection = try await server.connect { $0.authToken = "ops-token" }
            try await createPaladins(["scribe"], on: connection)
            let paladins = Paladin_V1_PaladinServiceClient(connection)
            _ = try await paladins.listPaladins(Paladin_V1_ListPaladinsRequest())
            var delete = Paladin_V1_DeletePaladinRequest()
            delete.name = "ghost"
            _ = try? await paladins.deletePaladin(delete)
            var append = Paladin_V1_AppendRequest()
            append.sessionID = "s1"
            var entry = Paladin_V1_GarrisonEntry()
            entry.role = .user
            entry.content = "hello"
            append.entries = [entry]
            _ = try await Paladin_V1_GarrisonServiceClient(connection).append(append)
            await connection.close()
        }
        let records = collected.all
        #expect(records == [
            AuditRecord(principal: "ops", tenant: "acme", method: "paladin.v1.PaladinService/CreatePaladin",
                        target: "paladin scribe", outcome: "OK", message: ""),
            AuditRecord(principal: "ops", tenant: "acme", method: "paladin.v1.PaladinService/DeletePaladin",
                        target: "paladin ghost", outcome: "NOT_FOUND", message: records.count > 1 ? records[1].message : ""),
            AuditRecord(principal: "ops", tenant: "acme", method: "paladin.v1.GarrisonService/Append",
                        target: "session s1", outcome: "OK", message: ""),
        ])
        #expect(records.count > 1 && !records[1].message.isEmpty)
    }

    @Test("every audited method is a write the contract has")
    func auditedMethodsExist() {
        let contract = Set(PaladinContract.methods.map(\.path))
        for method in AuditedMethods.targets.keys {
            #expect(contract.contains(method), "\(method)")
            #expect(MethodAccess.required[method] == .operator, "\(method) is audited but not a write")
        }
    }

    @Test("a request that does not decode is recorded with an empty target and its error")
    func malformedRequest() {
        #expect(AuditedMethods.targets["paladin.v1.PaladinService/DeletePaladin"]?([0xFF, 0xFF]) == "")
        #expect(AuditedMethods.targets["paladin.v1.BattalionService/ApproveStep"]?([]) == "run  step ")
    }
}
