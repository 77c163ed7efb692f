import Foundation
import Testing
import TestSupport

/// The CA certificates are read only when a command talks to an http(s) remote
/// (docs/decisions/0014-deferred-ca-certificates.md): https must verify exactly as before.
@Suite("https remotes still verify certificates")
struct TLSRemoteTests {
    @Test("a fetch from a TLS listener on 127.0.0.1 with a self-signed certificate is refused with a certificate error")
    func selfSignedIsRefused() throws {
        try withTemporaryDirectory { root in
            try GitServer.tls().serve { server in
                let repo = try SpecRepository(in: root + "/repo", specs: ["s": "- [ ] 1. A\n"])
                try git("remote", "add", "origin", server.url("repo.git"), in: repo.root)
                let next = try repo.cli("next", "--remote", "origin")
                // mbedTLS's verdict on the certificate, not a failure to read the CA bundle.
                #expect(next.status != 0 && next.stderr.contains("not correctly signed by the trusted CA"), "\(next)")
                #expect(try git("for-each-ref", "refs/heads/dispatch", in: repo.root).isEmpty, "nothing claimed")
            }
        }
    }
}
