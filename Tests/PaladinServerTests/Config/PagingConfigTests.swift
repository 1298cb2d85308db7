import PaladinServer
import Testing

/// `server.limits.max_page_size`: read, defaulted and range-checked.
@Suite("Config: max_page_size")
struct PagingConfigTests {
    @Test func theDefaultIsAThousandAndTheKeyIsRead() throws {
        #expect(try PaladinConfig.parse("").server.limits.maxPageSize == 1000)
        #expect(try PaladinConfig.parse("server:\n  limits:\n    max_page_size: 25\n").server.limits.maxPageSize == 25)
    }

    @Test(arguments: ["0", "100001", "-1"])
    func outOfRangeIsAProblemWithItsPath(_ value: String) {
        let error = #expect(throws: ConfigError.self) {
            try PaladinConfig.parse("server:\n  limits:\n    max_page_size: \(value)\n")
        }
        #expect(error?.problems.map(\.path) == ["server.limits.max_page_size"])
    }
}
