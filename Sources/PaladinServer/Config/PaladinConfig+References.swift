import PaladinCore
import PaladinWire

extension PaladinConfig {
    /// Checks what one section says about another, with the same checks the RPCs make:
    /// every paladin is a valid definition on a configured provider, every battalion has a
    /// valid shape (a flow that parses) and only names defined paladins.
    mutating func checkReferences(_ r: inout ConfigReader) {
        var known: Set<String> = []
        if paladins.count > catalog.maxPaladins {
            r.fail("paladins", "defines \(paladins.count) paladins; at most \(catalog.maxPaladins) are allowed (catalog.max_paladins)")
        }
        if battalions.count > catalog.maxBattalions {
            r.fail("battalions", "defines \(battalions.count) battalions; at most \(catalog.maxBattalions) are allowed (catalog.max_battalions)")
        }
        for index in paladins.indices {
            let path = "paladins.\(paladins[index].name)"
            if paladins[index].provider.isEmpty, providers.count == 1 { paladins[index].provider = providers.keys.first! }
            let provider = paladins[index].provider.isEmpty ? "default" : paladins[index].provider
            if providers[provider] == nil {
                r.fail("\(path).provider", "\"\(provider)\" is not defined under providers"
                       + (providers.isEmpty ? "" : " (known: \(providers.keys.sorted().joined(separator: ", ")))"))
            }
            for tool in paladins[index].tools where !ToolRegistry.builtIn.contains(tool.name) {
                r.fail("\(path).tools", "\"\(tool.name)\" is not a known tool (known: \(ToolRegistry.builtIn.names.joined(separator: ", ")))")
            }
            do {
                _ = try PaladinMapping.definition(from: paladins[index], limits: catalog)
                known.insert(paladins[index].name)
            } catch {
                r.fail(Self.path(path, error), Self.message(error))
            }
        }
        for battalion in battalions {
            let path = "battalions.\(battalion.name)"
            do {
                let plan = try BattalionMapping.plan(from: battalion, limits: catalog)
                let missing = Set(plan.pattern.memberNames).subtracting(known).sorted()
                if !missing.isEmpty {
                    r.fail("\(path).\(plan.pattern.configKey)", "names paladins that are not defined: \(missing.joined(separator: ", "))")
                }
            } catch {
                r.fail(Self.path(path, error), Self.message(error))
            }
        }
    }

    /// The file path of a definition error: `definition.x` becomes `<prefix>.x`.
    private static func path(_ prefix: String, _ error: RPCError) -> String {
        guard let field = error.details["field"] else { return prefix }
        let relative = field.hasPrefix("definition.") ? String(field.dropFirst("definition.".count)) : field
        return relative == "definition" || relative.isEmpty ? prefix : "\(prefix).\(relative)"
    }

    /// The message without the field name it starts with.
    private static func message(_ error: RPCError) -> String {
        guard let field = error.details["field"], error.message.hasPrefix(field + " ") else { return error.message }
        return String(error.message.dropFirst(field.count + 1))
    }
}

extension BattalionPattern {
    /// The configuration key of the pattern.
    var configKey: String { patternName == "commander_auto" ? "auto" : patternName }
}
