/// One step of the schema, applied once, in order, and recorded in `PRAGMA user_version`.
/// The SQL is compiled into the binary: nothing is read from the working directory.
struct Migration: Sendable {
    /// The `user_version` after this step.
    var version: Int
    var summary: String
    var sql: String
}
