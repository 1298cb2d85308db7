import PaladinWire

/// Every message type the fuzzer decodes: the frame envelopes, and the request and response
/// types of every method of the contract.
enum FuzzedContract {
    /// The request type of each method, by method path (the `method` of a REQUEST).
    static let requestByMethod: [String: MessageRoundTrip] = {
        var table: [String: MessageRoundTrip] = [:]
        forEachMethod { path, request, _ in table[path] = request }
        let contract = Set(PaladinContract.methods.map(\.path))
        if Set(table.keys) != contract {
            Invariant.fail("the fuzz table lacks methods: \(contract.subtracting(table.keys).sorted()); add them to FuzzedContract")
        }
        return table
    }()

    /// Envelopes first, then every request and response type once.
    static let allMessages: [MessageRoundTrip] = {
        var list = [
            MessageRoundTrip(Paladin_V1_Hello.self), MessageRoundTrip(Paladin_V1_Request.self),
            MessageRoundTrip(Paladin_V1_Status.self), MessageRoundTrip(Paladin_V1_GoAway.self),
        ]
        var seen = Set(list.map(\.name))
        forEachMethod { _, request, response in
            for message in [request, response] where seen.insert(message.name).inserted {
                list.append(message)
            }
        }
        return list
    }()

    private static func forEachMethod(_ body: (String, MessageRoundTrip, MessageRoundTrip) -> Void) {
        func add<Request, Response>(_ method: MethodDescriptor<Request, Response>) {
            body(method.path, MessageRoundTrip(Request.self), MessageRoundTrip(Response.self))
        }
        add(Paladin_V1_Health.check)
        add(Paladin_V1_Health.watch)
        add(Paladin_V1_ServerInfo.get)
        add(Paladin_V1_PaladinService.createPaladin)
        add(Paladin_V1_PaladinService.getPaladin)
        add(Paladin_V1_PaladinService.listPaladins)
        add(Paladin_V1_PaladinService.updatePaladin)
        add(Paladin_V1_PaladinService.deletePaladin)
        add(Paladin_V1_PaladinService.execute)
        add(Paladin_V1_PaladinService.executeStream)
        add(Paladin_V1_GarrisonService.append)
        add(Paladin_V1_GarrisonService.history)
        add(Paladin_V1_GarrisonService.search)
        add(Paladin_V1_GarrisonService.clear)
        add(Paladin_V1_GarrisonService.listSessions)
        add(Paladin_V1_GarrisonService.deleteSession)
        add(Paladin_V1_BattalionService.createBattalion)
        add(Paladin_V1_BattalionService.getBattalion)
        add(Paladin_V1_BattalionService.listBattalions)
        add(Paladin_V1_BattalionService.deleteBattalion)
        add(Paladin_V1_BattalionService.run)
        add(Paladin_V1_BattalionService.runStream)
        add(Paladin_V1_BattalionService.getRun)
        add(Paladin_V1_BattalionService.listRuns)
        add(Paladin_V1_BattalionService.cancelRun)
        add(Paladin_V1_BattalionService.updateBattalion)
        add(Paladin_V1_BattalionService.startRun)
        add(Paladin_V1_BattalionService.approveStep)
    }
}
