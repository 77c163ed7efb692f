#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// SIGINT and SIGTERM asking `run` to stop: the handler only notes the signal, and `run` looks at
/// it between steps, so a merge or a dispatch under way finishes before the agents are stopped.
/// The second signal skips the grace period.
enum StopSignals {
    nonisolated(unsafe) private static var last: sig_atomic_t = 0
    nonisolated(unsafe) private static var count: sig_atomic_t = 0

    static func install() {
        // Touched before the handler can run: a static's first access initialises it, which a
        // signal handler must never be the one to do.
        last = 0
        count = 0
        var stops = sigset_t()
        sigemptyset(&stops)
        for number in [SIGINT, SIGTERM] {
            _ = signal(number) { received in
                StopSignals.last = received
                StopSignals.count += 1
            }
            sigaddset(&stops, number)
        }
        // A parent may have started us with them blocked (a signal mask is inherited).
        pthread_sigmask(SIG_UNBLOCK, &stops, nil)
    }

    /// The last stop signal received, if any.
    static var received: Int32? { last == 0 ? nil : last }

    /// A second signal came: stop at once.
    static var isUrgent: Bool { count > 1 }
}
