import Yams

extension PaladinConfig {
    /// Reads `catalog:`, the bounds on paladins and battalions (`CatalogLimits`).
    mutating func readCatalog(_ m: Node.Mapping, _ r: inout ConfigReader) {
        let p = "catalog"
        r.rejectUnknownKeys(m, known: ["max_paladins", "max_battalions", "max_system_prompt_bytes", "max_description_bytes",
                                       "max_model_bytes", "max_stop_words", "max_tools", "max_members", "max_edges",
                                       "max_routes", "max_labels", "max_label_key_bytes", "max_label_value_bytes"], at: p)
        r.integer(m, "max_paladins", at: p, range: 1...10_000_000, into: &catalog.maxPaladins)
        r.integer(m, "max_battalions", at: p, range: 1...10_000_000, into: &catalog.maxBattalions)
        r.integer(m, "max_system_prompt_bytes", at: p, range: 0...(16 * 1024 * 1024), into: &catalog.maxSystemPromptBytes)
        r.integer(m, "max_description_bytes", at: p, range: 0...(1024 * 1024), into: &catalog.maxDescriptionBytes)
        r.integer(m, "max_model_bytes", at: p, range: 1...65_536, into: &catalog.maxModelBytes)
        r.integer(m, "max_stop_words", at: p, range: 0...1024, into: &catalog.maxStopWords)
        r.integer(m, "max_tools", at: p, range: 0...10_000, into: &catalog.maxTools)
        r.integer(m, "max_members", at: p, range: 1...100_000, into: &catalog.maxMembers)
        r.integer(m, "max_edges", at: p, range: 0...1_000_000, into: &catalog.maxEdges)
        r.integer(m, "max_routes", at: p, range: 1...100_000, into: &catalog.maxRoutes)
        r.integer(m, "max_labels", at: p, range: 0...10_000, into: &catalog.maxLabels)
        r.integer(m, "max_label_key_bytes", at: p, range: 1...4096, into: &catalog.maxLabelKeyBytes)
        r.integer(m, "max_label_value_bytes", at: p, range: 0...65_536, into: &catalog.maxLabelValueBytes)
    }
}
