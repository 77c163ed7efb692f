import CLibGit2

#if canImport(Glibc)
import Glibc

// Debian's libgit2 parses the whole system CA bundle through mbedTLS in `git_libgit2_init`: two
// thirds of what every command and every hook costs (52 M of 82 M instructions), for
// certificates only an https fetch or push ever uses. This definition stands in for mbedTLS's
// (the executable's symbols come first in the dynamic linker's search), so the parse that init
// asks for is only noted; `CertificateDeferral.load()` has it done, by the real function,
// before the first transfer. Until then the chain is empty, which fails closed: a handshake
// against an empty chain verifies nothing. docs/decisions/0014-deferred-ca-certificates.md.
nonisolated(unsafe) private var deferring = true
nonisolated(unsafe) private var deferredFile: String?
nonisolated(unsafe) private var deferredFolder: String?

private typealias Parse = @convention(c) (OpaquePointer?, UnsafePointer<CChar>?) -> Int32

/// mbedTLS's own definition of `name`: the one after this executable's (RTLD_NEXT).
private func real(_ name: String) -> Parse? {
    dlsym(UnsafeMutableRawPointer(bitPattern: -1), name).map { unsafeBitCast($0, to: Parse.self) }
}

@_cdecl("mbedtls_x509_crt_parse_file")
public func spec_dispatch_deferred_crt_parse_file(_ chain: OpaquePointer?, _ path: UnsafePointer<CChar>?) -> Int32 {
    if deferring {
        deferredFile = path.map { String(cString: $0) }
        return 0
    }
    return real("mbedtls_x509_crt_parse_file")?(chain, path) ?? -1
}

/// A default location that is a folder is parsed file by file (mbedTLS calls the function above
/// for each): the folder is what is noted, and handed back whole.
@_cdecl("mbedtls_x509_crt_parse_path")
public func spec_dispatch_deferred_crt_parse_path(_ chain: OpaquePointer?, _ path: UnsafePointer<CChar>?) -> Int32 {
    if deferring {
        deferredFolder = path.map { String(cString: $0) }
        return 0
    }
    return real("mbedtls_x509_crt_parse_path")?(chain, path) ?? -1
}

enum CertificateDeferral {
    /// What init asked for, while it is unread (for tests).
    static var deferredBundle: String? { deferredFile ?? deferredFolder }
    static var isDeferring: Bool { deferring }

    /// Trusts the certificates of `file` alone from now on (for tests).
    static func trust(file: String) -> Bool { clibgit2_set_ssl_cert_locations(file, nil) == 0 }

    /// Parses the CA certificates libgit2's init asked for, once, before a transfer needs them.
    /// A failure is told only to the transfer that needed them: later ones find the chain
    /// empty, which refuses every certificate.
    static func load() throws(GitError) {
        guard deferring else { return }
        deferring = false
        guard deferredFile != nil || deferredFolder != nil else { return }
        try check(clibgit2_set_ssl_cert_locations(deferredFile, deferredFolder), "git_libgit2_opts(GIT_OPT_SET_SSL_CERT_LOCATIONS)",
                  deferredFile ?? deferredFolder)
    }
}
#else
enum CertificateDeferral {
    static var deferredBundle: String? { nil }
    static var isDeferring: Bool { false }
    static func trust(file: String) -> Bool { clibgit2_set_ssl_cert_locations(file, nil) == 0 }
    static func load() throws(GitError) {}
}
#endif
