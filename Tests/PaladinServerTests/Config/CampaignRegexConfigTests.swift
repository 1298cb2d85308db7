import PaladinServer
import Testing

/// Regex edge conditions in the configuration file get the same checks as over the wire.
@Suite("Campaign regex edges in the configuration file")
struct CampaignRegexConfigTests {
    @Test func aRefusedPatternIsReportedWithItsBattalionsPath() {
        do {
            _ = try PaladinConfig.parse(#"""
            providers: { offline: { kind: scripted } }
            paladins: { a: { provider: offline }, b: { provider: offline } }
            battalions:
              ok: { campaign: { members: [a, b], edges: [{ from: a, to: b, when: regex, pattern: 'score is (8|9)\d\b' }] } }
              bad: { campaign: { members: [a, b], edges: [{ from: a, to: b, when: regex, pattern: '(a)\1' }] } }
            """#)
            Issue.record("a backreference in a regex edge was accepted")
        } catch let error as ConfigError {
            let problems = error.problems.map { "\($0.path): \($0.message)" }
            #expect(problems == [#"battalions.bad.campaign: edge a -> b: invalid regex "(a)\1": backreference \1 is not supported at offset 3"#])
        } catch {
            Issue.record("unexpected \(error)")
        }
    }
}
