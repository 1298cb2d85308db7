/// The configuration `paladin serve` runs when given no `--config`: the SQLite store under
/// `.paladin/`, the local model served by `scripts/local-model` as provider `local`, and the
/// code-review battalion. It is `examples/code-review.yaml`, byte for byte (a test checks).
extension PaladinConfig {
    /// The YAML text of the embedded defaults.
    public static let embeddedDefaultsYAML = """
# A code-review Maneuver: one intake paladin summarizes the change, three reviewers look at it
# in parallel, and a synthesis paladin merges their notes into one review.
#
#   paladin serve --config examples/code-review.yaml
#   paladin battalion run code-review - < some.diff
#
# Runs on the local model (scripts/local-model start). Switch `providers.local` to OpenAI,
# Anthropic, DeepSeek or Ollama to get reviews worth reading; the flow stays the same.
store:
  path: .paladin/paladin.db

providers:
  local:
    kind: openai
    base_url: http://127.0.0.1:8088/v1
    model: smollm2
    timeouts: { connect: 5s, total: 120s, idle: 60s }
    retry: { max_attempts: 2, initial_backoff: 500ms, max_backoff: 5s }
    max_concurrency: 2

paladins:
  intake:
    description: Restates what the code does.
    system_prompt: You are a senior engineer. Say in two sentences what the given code does.
    max_tokens: 64
    temperature: 0.2
  security:
    description: Looks for security problems.
    system_prompt: You are a security reviewer. Name one security risk in the code described, in one sentence.
    max_tokens: 48
    temperature: 0.2
  performance:
    description: Looks for performance problems.
    system_prompt: You are a performance reviewer. Name one performance concern in the code described, in one sentence.
    max_tokens: 48
    temperature: 0.2
  style:
    description: Looks at readability.
    system_prompt: You are a style reviewer. Suggest one readability improvement for the code described, in one sentence.
    max_tokens: 48
    temperature: 0.2
  synthesis:
    description: Writes the review.
    system_prompt: You write code reviews. Combine the reviewers' notes into a short review with three bullet points.
    max_tokens: 96
    temperature: 0.2

battalions:
  code-review:
    description: intake, then security, performance and style in parallel, then one review.
    maneuver: "intake -> (security, performance, style) -> synthesis"
    error_strategy: continue_on_error
    timeout_ms: 600000

"""

    /// The embedded defaults, parsed.
    public static func embeddedDefaults(environment: [String: String] = [:]) throws -> PaladinConfig {
        try parse(embeddedDefaultsYAML, file: "<embedded defaults>", environment: environment)
    }
}
