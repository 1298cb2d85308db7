import Yams

extension PaladinConfig {
    /// `server.tls`: `cert_file` and `key_file` (required), `client_ca_file`,
    /// `client_certificates: none | optional | require` (default `require` when a client CA file
    /// is named, else `none`), `min_version: "1.2" | "1.3"`. The files are read when the server
    /// starts and again on SIGHUP.
    static func readTLS(_ m: Node.Mapping, _ r: inout ConfigReader) -> TLSSettings? {
        let p = "server.tls"
        r.rejectUnknownKeys(m, known: ["cert_file", "key_file", "client_ca_file", "client_certificates", "min_version"], at: p)
        var certificate = "", key = "", clientCA = ""
        r.string(m, "cert_file", at: p, into: &certificate)
        r.string(m, "key_file", at: p, into: &key)
        r.string(m, "client_ca_file", at: p, into: &clientCA)
        if certificate.isEmpty { r.fail("\(p).cert_file", "required: the PEM file with the server certificate chain") }
        if key.isEmpty { r.fail("\(p).key_file", "required: the PEM file with the certificate's private key") }
        var mode: TLSSettings.ClientCertificates? = nil
        r.choice(m, "client_certificates", at: p,
                 Dictionary(uniqueKeysWithValues: TLSSettings.ClientCertificates.allCases.map { ($0.rawValue, Optional($0)) }),
                 into: &mode)
        if let mode, mode != .none, clientCA.isEmpty {
            r.fail("\(p).client_ca_file", "required when client_certificates is \(mode.rawValue)")
        }
        var minimum = TLSSettings.MinimumVersion.tls12
        r.choice(m, "min_version", at: p,
                 Dictionary(uniqueKeysWithValues: TLSSettings.MinimumVersion.allCases.map { ($0.rawValue, $0) }),
                 into: &minimum)
        guard !certificate.isEmpty, !key.isEmpty else { return nil }
        var settings = TLSSettings(certificateChainFile: certificate, privateKeyFile: key,
                                   clientCAFile: clientCA.isEmpty ? nil : clientCA, clientCertificates: mode)
        settings.minimumVersion = minimum
        return settings
    }
}
