import Foundation
@testable import GitKit
import Testing
import TestSupport

@Suite("CA certificates are read when an http(s) remote needs them")
struct CertificateDeferralTests {
    @Test("opening repositories and local transfers leave them unread; an https remote has them read first")
    func loadedForHTTPSOnly() throws {
        try withTemporaryDirectory { root in
            try makeRepository(at: root + "/repo")
            let repository = try Repository.open(at: root + "/repo")
            _ = try? repository.remoteReferences(root + "/repo")
            // Under the test runner the stand-in may not be the one the linker picked; then
            // init parsed the bundle itself, as libgit2 always did, and there is nothing to check.
            guard CertificateDeferral.deferredBundle != nil else { return }
            #expect(CertificateDeferral.isDeferring, "a folder remote needs no certificates")
            let bundle = try #require(CertificateDeferral.deferredBundle)
            try GitServer.tls().serve { server in
                let refused = gitError { _ = try repository.remoteReferences(server.url("repo.git")) }
                #expect(refused?.message.contains("not correctly signed by the trusted CA") == true, "\(String(describing: refused))")
                #expect(!CertificateDeferral.isDeferring)
                // Trusting the listener's own certificate gets past the handshake (the listener
                // speaks no git, so the request fails later): the parse reaches mbedTLS's function.
                let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                    .appendingPathComponent("Fixtures/tls-cert.pem").path
                #expect(CertificateDeferral.trust(file: fixture))
                defer { _ = CertificateDeferral.trust(file: bundle) }
                let past = gitError { _ = try repository.remoteReferences(server.url("repo.git")) }
                #expect(past != nil && past?.message.contains("certificate") == false, "\(String(describing: past))")
            }
        }
    }
}
