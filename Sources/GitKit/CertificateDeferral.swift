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

@_cdecl("mbedtls_x509_crt_parse_file")
public func spec_dispatch_deferred_crt_parse_file(_ chain: OpaquePointer?, _ path: UnsafePointer<CChar>?) -> Int32 {
    if deferring {
        deferredFile = path.map { String(cString: $0) }
        return 0
    }
    typealias Parse = @convention(c) (OpaquePointer?, UnsafePointer<CChar>?) -> Int32
    // RTLD_NEXT: the definition after this one, mbedTLS's own.
    guard let real = dlsym(UnsafeMutableRawPointer(bitPattern: -1), "mbedtls_x509_crt_parse_file") else { return -1 }
    return unsafeBitCast(real, to: Parse.self)(chain, path)
}

enum CertificateDeferral {
    /// The bundle init asked for, while it is unread (for tests).
    static var deferredBundle: String? { deferredFile }
    static var isDeferring: Bool { deferring }

    /// Parses the CA bundle libgit2's init asked for, once, before a transfer needs it.
    static func load() throws(GitError) {
        guard deferring else { return }
        deferring = false
        guard let file = deferredFile else { return }
        try check(clibgit2_set_ssl_cert_locations(file, nil), "git_libgit2_opts(GIT_OPT_SET_SSL_CERT_LOCATIONS)", file)
    }
}
#else
enum CertificateDeferral {
    static var deferredBundle: String? { nil }
    static var isDeferring: Bool { false }
    static func load() throws(GitError) {}
}
#endif
