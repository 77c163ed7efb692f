import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// An agent, fix agent or reviewer started by `sh -c` as our child. Unattended ones get their own
/// process group, so that stopping one stops whatever it started (its git, its tests), and none
/// gets our terminal's Ctrl-C directly: `run` decides how they stop.
///
/// The child waits at a gate until `release()`: the caller first records its pid in the window
/// (JobRecord), so that no agent ever works a window without a record of it. A caller killed
/// before releasing closes the gate unopened, and the child exits without running the command.
final class ChildProcess {
    let pid: pid_t
    /// The process group is the child's own (its pid), not ours.
    let ownGroup: Bool
    private var gate: Int32?
    /// The wait status once reaped.
    private(set) var waitStatus: Int32?

    private static let gateScript = """
        cd -- "$1" || exit 126
        IFS= read -r go <&3 && [ "$go" = go ] || exit 0
        exec 3<&-
        exec /bin/sh -c "$0"
        """

    private init(pid: pid_t, ownGroup: Bool, gate: Int32) {
        self.pid = pid
        self.ownGroup = ownGroup
        self.gate = gate
    }

    deinit {
        if let gate { close(gate) }
    }

    /// Starts `command` in `folder`, held at the gate. `output` (appended to) takes its standard
    /// output and error, and its standard input is /dev/null; without `output` it shares ours.
    static func spawn(_ command: String, in folder: String, environment: [String: String], output: String?,
                      ownGroup: Bool) throws -> ChildProcess {
        var ends: [Int32] = [0, 0]
        guard pipe(&ends) == 0 else { throw DispatchError.failure("cannot start `\(command)`: \(String(cString: strerror(errno)))") }
        // Both ends above 3 and closed on exec, so that only the child's fd 3 (a dup) survives its exec.
        let reading = fcntl(ends[0], F_DUPFD_CLOEXEC, 10), writing = fcntl(ends[1], F_DUPFD_CLOEXEC, 10)
        close(ends[0])
        close(ends[1])
        defer { close(reading) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        if let output {
            posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
            posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_CREAT | O_APPEND, 0o644)
            posix_spawn_file_actions_adddup2(&actions, 1, 2)
        }
        posix_spawn_file_actions_adddup2(&actions, reading, 3)
        for fd in Spawn.openDescriptors() where fd > 3 { posix_spawn_file_actions_addclose(&actions, fd) }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var defaults = sigset_t(), mask = sigset_t()
        sigemptyset(&defaults)
        sigemptyset(&mask)
        for signal in [SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setsigmask(&attributes, &mask)
        var flags = Int32(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK)
        if ownGroup {
            flags |= Int32(POSIX_SPAWN_SETPGROUP)
            posix_spawnattr_setpgroup(&attributes, 0)
        }
        posix_spawnattr_setflags(&attributes, Int16(flags))
        let arguments = ["/bin/sh", "-c", gateScript, command, folder]
        var argv = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        let variables = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        var envp = variables.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { envp.forEach { free($0) } }
        var pid: pid_t = 0
        let status = posix_spawn(&pid, "/bin/sh", &actions, &attributes, &argv, &envp)
        guard status == 0 else {
            close(writing)
            throw DispatchError.failure("cannot start `\(command)`: \(String(cString: strerror(status)))")
        }
        return ChildProcess(pid: pid, ownGroup: ownGroup, gate: writing)
    }

    /// Lets the child run its command.
    func release() {
        guard let gate else { return }
        _ = "go\n".withCString { write(gate, $0, 3) }
        close(gate)
        self.gate = nil
    }

    /// The wait status when it has exited (reaping it), else nil.
    func poll() -> Int32? {
        if let waitStatus { return waitStatus }
        var status: Int32 = 0
        let result = waitpid(pid, &status, WNOHANG)
        if result == pid || (result < 0 && errno == ECHILD) { waitStatus = result == pid ? status : 0 }
        return waitStatus
    }

    /// Waits for the exit; returns the wait status.
    func wait() -> Int32 {
        while poll() == nil {
            var status: Int32 = 0
            let result = waitpid(pid, &status, 0)
            if result == pid { waitStatus = status } else if result < 0, errno != EINTR { waitStatus = 0 }
        }
        return waitStatus ?? 0
    }

    /// Sends `signal` to its process group (to it alone when it shares ours).
    func send(_ signal: Int32) {
        if ownGroup { kill(-pid, signal) } else if waitStatus == nil { kill(pid, signal) }
    }
}

/// How a process ended, from its wait status.
enum ExitDescription {
    static func code(_ status: Int32) -> Int32 {
        (status & 0x7F) == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
    }

    static func text(_ status: Int32) -> String {
        let signal = status & 0x7F
        if signal == 0 { return "exited with \((status >> 8) & 0xFF)" }
        return "was killed by \(name(of: signal))"
    }

    static func name(of signal: Int32) -> String {
        switch signal {
        case SIGINT: "SIGINT"
        case SIGTERM: "SIGTERM"
        case SIGKILL: "SIGKILL"
        case SIGHUP: "SIGHUP"
        case SIGSEGV: "SIGSEGV"
        case SIGABRT: "SIGABRT"
        case SIGPIPE: "SIGPIPE"
        case SIGQUIT: "SIGQUIT"
        default: "signal \(signal)"
        }
    }
}

/// A process we did not start (or no longer parent): its pid with its start time, which tells it
/// from a later process given the same pid.
struct ProcessIdentity: Equatable, Sendable {
    var pid: Int32
    var start: UInt64

    /// The running process with this pid; nil when there is none, or only a zombie.
    static func current(_ pid: Int32) -> ProcessIdentity? {
        guard pid > 0, let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return nil }
        // After the command name (which may hold spaces and parentheses): state, then field 4 on;
        // the start time is field 22.
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 19, fields[0] != "Z", fields[0] != "X", let start = UInt64(fields[19]) else { return nil }
        return ProcessIdentity(pid: pid, start: start)
    }

    var isRunning: Bool { Self.current(pid) == self }
}

/// The live members of a process group. Zombies do not count: an orphan's zombie may stay in
/// the table for good where the system's first process does not reap (some containers), and
/// `kill(-group, 0)` would count it.
enum ProcessGroup {
    static func hasLiveMembers(_ group: Int32) -> Bool {
        guard let folder = opendir("/proc") else { return kill(-group, 0) == 0 }
        defer { closedir(folder) }
        while let entry = readdir(folder) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            guard let pid = Int32(name), let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
                  let close = stat.lastIndex(of: ")") else { continue }
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            if fields.count > 2, fields[0] != "Z", fields[0] != "X", Int32(fields[2]) == group { return true }
        }
        return false
    }
}
