#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Holds back the signals that ask a process to end (Ctrl-C, `kill`, a closed terminal, and
/// `run` stopping an agent's process group) while `body` writes git's files. libgit2 takes a
/// lock file for each write and, unlike git, leaves it behind when the process dies, after which
/// every git command in that window fails until a person deletes it. A held-back signal takes
/// effect as soon as `body` returns. SIGKILL cannot be held back; `run` sends it only after
/// its grace period.
enum Uninterruptible {
    static func run<T>(_ body: () throws -> T) rethrows -> T {
        var ending = sigset_t(), previous = sigset_t()
        sigemptyset(&ending)
        for number in [SIGINT, SIGTERM, SIGHUP, SIGQUIT] { sigaddset(&ending, number) }
        pthread_sigmask(SIG_BLOCK, &ending, &previous)
        defer { pthread_sigmask(SIG_SETMASK, &previous, nil) }
        return try body()
    }
}
