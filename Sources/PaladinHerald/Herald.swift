import PaladinCore

/// Renders paladin and battalion results for people and programs: JSON, Markdown or a text
/// table, plus NDJSON lines for streamed events. Pure functions of their input; no Foundation.
///
/// JSON is one document with no trailing newline; Markdown and table renderings end with `\n`;
/// each NDJSON line is one compact object ending with `\n`.
public enum Herald {
    /// `result` in `format`. JSON keys: `paladin, stop_reason, output, turns, duration_ms,
    /// usage{prompt_tokens, completion_tokens, total_tokens}, tool_calls[], tool_results[]`.
    /// The table lists the fields as rows (field | value).
    public static func render(_ result: PaladinResult, as format: HeraldFormat, options: HeraldOptions = .init()) -> String {
        switch format {
        case .json: JSONHerald.render(result, pretty: options.pretty)
        case .markdown: MarkdownHerald.render(result)
        case .table: TableHerald.render(result, options: options)
        }
    }

    /// `result` in `format`. JSON keys: `pattern, status, final_output, error, reasoning,
    /// duration_ms, steps[{member, status, output, error, started_ms, duration_ms, usage, attempts}],
    /// totals{steps, succeeded, failed, skipped, cancelled, usage}`. The table has the columns
    /// member | status | time | tokens | output, one row per step, then the run's totals.
    public static func render(_ result: BattalionResult, as format: HeraldFormat, options: HeraldOptions = .init()) -> String {
        switch format {
        case .json: JSONHerald.render(result, pretty: options.pretty)
        case .markdown: MarkdownHerald.render(result)
        case .table: TableHerald.render(result, options: options)
        }
    }

    /// One NDJSON line for a streamed paladin event, tagged `"event"`: `delta`, `tool_call`,
    /// `tool_result` or `final` (whose `result` is the JSON rendering of the result).
    public static func ndjson(_ event: PaladinEvent) -> String { NDJSONHerald.line(event) }

    /// One NDJSON line for a streamed battalion event, tagged `"event"`: `member_started`,
    /// `member_delta`, `member_finished` (with the `step` object) or `result`.
    public static func ndjson(_ event: BattalionEvent) -> String { NDJSONHerald.line(event) }
}
