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
            try GitServer.tls().serve { server in
                #expect(throws: GitError.self) { _ = try repository.remoteReferences(server.url("repo.git")) }
            }
            #expect(!CertificateDeferral.isDeferring)
        }
    }
}
