import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A git server on 127.0.0.1 for tests of remotes that are not folders, started inside the test
/// and stopped, with every process it forked, when the test's body ends.
public final class GitServer {
    /// `git://127.0.0.1:<port>` or `http://127.0.0.1:<port>`.
    public let base: String
    private let process: LaunchedCommand
    private let marker: String

    private init(base: String, process: LaunchedCommand, marker: String) {
        self.base = base
        self.process = process
        self.marker = marker
    }

    /// The URL of the repository `name` (a folder under the served root, e.g. `origin.git`).
    public func url(_ name: String) -> String { "\(base)/\(name)" }

    /// `git daemon` serving the repositories under `root` over the git protocol, pushes allowed.
    public static func daemon(serving root: String) throws -> GitServer {
        for _ in 1...5 {
            let port = try freePort()
            let marker = "--port=\(port)"
            // git-daemon itself rather than `git daemon`, whose wrapper process can exit on its
            // own and leave the daemon unwatched.
            let daemon = LaunchedCommand([try execPath() + "/git-daemon", "--reuseaddr", "--listen=127.0.0.1", marker, "--base-path=\(root)",
                                          "--export-all", "--enable=receive-pack", "--informative-errors", root], in: root)
            try daemon.start()
            if waitUntilListening(port, while: daemon) { return GitServer(base: "git://127.0.0.1:\(port)", process: daemon, marker: marker) }
            // Another program took the port between our look and the daemon's bind: try another.
            daemon.killHard()
            _ = daemon.wait()
        }
        throw POSIXError(.EADDRINUSE)
    }

    /// `git http-backend` serving the repositories under `root` over plain http, behind basic
    /// auth with one `user` and `password` (Tests/Fixtures/git-http-auth.py). `refusedRequests`
    /// counts the requests that came without them.
    public static func http(serving root: String, user: String, password: String) throws -> GitServer {
        let portFile = try makeTemporaryDirectory(prefix: "http-port") + "/port"
        let script = URL(fileURLWithPath: SpecDispatchCLI.templates).deletingLastPathComponent()
            .appendingPathComponent("Tests/Fixtures/git-http-auth.py").path
        let server = LaunchedCommand(["python3", script, root, user, password, portFile], in: root)
        try server.start()
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline, server.isRunning {
            if let text = try? String(contentsOfFile: portFile, encoding: .utf8), let port = Int(text) {
                return GitServer(base: "http://127.0.0.1:\(port)", process: server, marker: portFile)
            }
            usleep(10_000)
        }
        server.killHard()
        throw CommandFailure(command: server.command, result: server.wait())
    }

    /// A TLS listener on 127.0.0.1 whose certificate is self-signed (Tests/Fixtures/tls-server.py):
    /// no client that verifies certificates gets past its handshake.
    public static func tls() throws -> GitServer {
        let portFile = try makeTemporaryDirectory(prefix: "tls-port") + "/port"
        let script = URL(fileURLWithPath: SpecDispatchCLI.templates).deletingLastPathComponent()
            .appendingPathComponent("Tests/Fixtures/tls-server.py").path
        let server = LaunchedCommand(["python3", script, portFile], in: (portFile as NSString).deletingLastPathComponent)
        try server.start()
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline, server.isRunning {
            if let text = try? String(contentsOfFile: portFile, encoding: .utf8), let port = Int(text) {
                return GitServer(base: "https://127.0.0.1:\(port)", process: server, marker: portFile)
            }
            usleep(10_000)
        }
        server.killHard()
        throw CommandFailure(command: server.command, result: server.wait())
    }

    /// Requests the http server refused for want of the password.
    public var refusedRequests: Int {
        ((try? String(contentsOfFile: marker + ".refused", encoding: .utf8)) ?? "").split(separator: "\n").count
    }

    /// Stops the server and whatever it forked for connections still open, and waits for them.
    public func stop() {
        // Connections finish, and are reaped, first: a child orphaned by the daemon's kill might
        // be nobody's to reap. git daemon reaps when woken, which SIGCHLD does.
        let deadline = Date().addingTimeInterval(2)
        while Date() < deadline, !Self.children(of: process.pid).isEmpty {
            kill(process.pid, SIGCHLD)
            usleep(10_000)
        }
        process.killHard()
        _ = process.wait()
        for pid in Self.processes(mentioning: marker) { kill(pid, SIGKILL) }
        if marker.hasSuffix("/port") { try? FileManager.default.removeItem(atPath: (marker as NSString).deletingLastPathComponent) }
    }

    /// Runs `body` with the server, stopping it however `body` ends.
    public func serve<Result>(_ body: (GitServer) throws -> Result) throws -> Result {
        defer { stop() }
        return try body(self)
    }

    /// Processes whose command line holds `text` (git daemon's children repeat its arguments).
    public static func processes(mentioning text: String) -> [pid_t] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap { entry -> pid_t? in
            guard let pid = pid_t(entry), pid != getpid(),
                  let bytes = FileManager.default.contents(atPath: "/proc/\(entry)/cmdline") else { return nil }
            let arguments = bytes.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
            return arguments.contains(text) ? pid : nil
        }
    }

    private static func execPath() throws -> String {
        try Shell.run(["git", "--exec-path"], in: "/").trimmingCharacters(in: .whitespacesAndNewlines)
    }

    private static func children(of parent: pid_t) -> [pid_t] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap { entry -> pid_t? in
            guard let pid = pid_t(entry), let stat = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8),
                  let close = stat.lastIndex(of: ")") else { return nil }
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            return fields.count > 1 && fields[1] == "\(parent)" ? pid : nil
        }
    }

    /// A TCP port on 127.0.0.1 that nothing listens on now.
    private static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw POSIXError(.EMFILE) }
        defer { close(fd) }
        var address = loopback(port: 0)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        guard bound else { throw POSIXError(.EADDRINUSE) }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    private static func waitUntilListening(_ port: Int, while process: LaunchedCommand) -> Bool {
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline, process.isRunning {
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var address = loopback(port: port)
            let connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
            }
            close(fd)
            if connected { return true }
            usleep(10_000)
        }
        return false
    }

    private static func loopback(port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return address
    }
}
