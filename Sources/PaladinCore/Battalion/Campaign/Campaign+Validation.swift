extension Campaign {
    /// Problems with the graph: no members, duplicate members, edges or entry points naming
    /// unknown members, self-loops, invalid regex conditions, entry points with incoming
    /// edges, no entry point, and cycles (each named, e.g. "cycle: a -> b -> a").
    public func validate() -> [String] {
        var problems: [String] = []
        if members.isEmpty { problems.append("a campaign needs at least one member") }
        var seen: Set<String> = []
        for name in members where !seen.insert(name).inserted {
            problems.append("duplicate member \"\(name)\"")
        }
        let known = Set(members)
        for edge in edges {
            for end in [edge.from, edge.to] where !known.contains(end) {
                problems.append("edge \(edge.from) -> \(edge.to) names unknown member \"\(end)\"")
            }
            if edge.from == edge.to { problems.append("self-loop on \"\(edge.from)\"") }
            if let problem = edge.condition.problem { problems.append("edge \(edge.from) -> \(edge.to): \(problem)") }
        }
        var sourcesByTarget: [String: [String]] = [:]
        for edge in edges { sourcesByTarget[edge.to, default: []].append(edge.from) }
        for entry in entryPoints {
            if !known.contains(entry) { problems.append("entry point \"\(entry)\" is not a member") }
            if let sources = sourcesByTarget[entry] {
                problems.append("entry point \"\(entry)\" has incoming edges (from \(sources.joined(separator: ", ")))")
            }
        }
        if !members.isEmpty && effectiveEntryPoints.isEmpty {
            problems.append("no entry point: every member has an incoming edge")
        }
        problems += cycles().map { "cycle: " + $0.joined(separator: " -> ") }
        return problems
    }

    /// Each cycle a depth-first search finds (self-loops aside), as a closed path "a, b, a".
    /// The search keeps its own stack, so a graph as deep as it is long (a chain of any length)
    /// cannot overflow the thread's stack, and knows in O(1) whether a node is on the path.
    func cycles() -> [[String]] {
        let known = Set(members)
        var children: [String: [String]] = [:]
        for edge in edges where edge.from != edge.to && known.contains(edge.from) && known.contains(edge.to) {
            children[edge.from, default: []].append(edge.to)
        }
        var done: Set<String> = []
        var found: [[String]] = []
        for root in members where !done.contains(root) {
            var path = [root]
            var positionOnPath = [root: 0]
            var nextChild = [0]  // per node on the path: which of its children to look at next
            while let node = path.last {
                let kids = children[node] ?? []
                let level = path.count - 1
                guard nextChild[level] < kids.count else {  // every child seen: leave the node
                    path.removeLast()
                    nextChild.removeLast()
                    positionOnPath[node] = nil
                    done.insert(node)
                    continue
                }
                let child = kids[nextChild[level]]
                nextChild[level] += 1
                if let start = positionOnPath[child] {
                    found.append(Array(path[start...]) + [child])
                } else if !done.contains(child) {
                    positionOnPath[child] = path.count
                    path.append(child)
                    nextChild.append(0)
                }
            }
        }
        return found
    }
}
