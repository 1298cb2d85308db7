import Foundation

/// A request as the test server received it.
struct RecordedRequest: Sendable {
    var method: String
    var uri: String
    /// Names lower-cased.
    var headers: [String: String]
    var body: [UInt8]
    /// The client's port: equal for requests that reused a connection.
    var clientPort: Int = 0

    /// The body as a JSON object (empty when it is not one).
    var json: [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any] ?? [:]
    }
}
