/// The names a verified client certificate proves, sent down the pipeline as a user event
/// once the TLS handshake completes: the subject's common name and the DNS, URI and e-mail
/// subject alternative names. A principal's `mtls` identity matches any of them.
struct PeerCertificateIdentity: Sendable, Hashable {
    var names: [String]
}
