import PaladinCore

/// The model providers a server was configured with, by name. Paladins name theirs in
/// `PaladinDefinition.provider`; `default` is used when a definition names none.
public struct ProviderRegistry: Sendable {
    private var providers: [String: any LLMProvider]

    /// - Parameter providers: providers by the name definitions use.
    public init(_ providers: [String: any LLMProvider] = [:]) {
        self.providers = providers
    }

    /// The provider named `name`, if configured.
    public subscript(name: String) -> (any LLMProvider)? { providers[name] }

    /// Configured names, sorted (for error messages and `paladin info`).
    public var names: [String] { providers.keys.sorted() }
}
