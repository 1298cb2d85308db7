import Logging

/// Where audit records go: by default one `paladin.audit` log line per write, with the record's
/// fields as metadata; tests collect them instead.
public struct AuditLog: Sendable {
    private let sink: @Sendable (AuditRecord) -> Void

    public init(_ sink: @escaping @Sendable (AuditRecord) -> Void) {
        self.sink = sink
    }

    func record(_ record: AuditRecord) { sink(record) }

    /// Logs each record at `notice` (shown at the default `info` level).
    public static func logging(to logger: Logger = Logger(label: "paladin.audit")) -> AuditLog {
        AuditLog { record in
            var metadata: Logger.Metadata = [
                "principal": "\(record.principal)", "tenant": "\(record.tenant)", "method": "\(record.method)",
                "target": "\(record.target)", "outcome": "\(record.outcome)",
            ]
            if !record.message.isEmpty { metadata["error"] = "\(record.message)" }
            logger.notice("audit", metadata: metadata)
        }
    }
}
