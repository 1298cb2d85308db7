import Foundation
import PaladinCore

/// JSON in and out with Foundation's JSONSerialization: the wire bodies are small and dynamic
/// (tool schemas and arguments are arbitrary JSON), so untyped dictionaries fit best.
enum JSON {
    /// Serializes a JSON object (dictionaries, arrays, strings, numbers, `NSNull`).
    static func bytes(_ object: [String: Any]) throws(ProviderError) -> [UInt8] {
        do { return Array(try JSONSerialization.data(withJSONObject: object, options: [.withoutEscapingSlashes])) } catch {
            throw ProviderError(.invalidRequest, "could not encode the request as JSON: \(error)")
        }
    }

    /// Parses a JSON object; anything else is a malformed response.
    static func object(_ bytes: some Collection<UInt8>, what: String) throws(ProviderError) -> [String: Any] {
        guard let value = try? JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed]),
              let object = value as? [String: Any] else {
            throw ProviderError(.malformedResponse, "\(what) is not a JSON object: \(String(decoding: bytes.prefix(200), as: UTF8.self))")
        }
        return object
    }

    /// Parses a JSON text the model or a caller produced (tool arguments, schemas).
    static func value(_ text: String) -> Any? {
        try? JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])
    }

    /// Serializes any JSON value to text (tool arguments given as objects).
    static func text(_ value: Any) -> String {
        guard let data = try? JSONSerialization.data(withJSONObject: value, options: [.fragmentsAllowed, .sortedKeys, .withoutEscapingSlashes])
        else { return "{}" }
        return String(decoding: data, as: UTF8.self)
    }

    /// A tool's parameter schema as a JSON object.
    static func schema(_ spec: ToolSpec) throws(ProviderError) -> Any {
        guard let schema = value(spec.parametersSchema) as? [String: Any] else {
            throw ProviderError(.invalidRequest, "tool \(spec.name): parameters schema is not a JSON object")
        }
        return schema
    }
}

extension Dictionary where Key == String, Value == Any {
    /// The integer at `key`, whether JSON gave it as Int or Double.
    func int(_ key: String) -> Int? {
        (self[key] as? NSNumber)?.intValue
    }
}
