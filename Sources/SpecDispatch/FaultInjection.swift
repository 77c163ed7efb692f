#if canImport(Glibc)
import Glibc
#endif

/// A test hook: `SPEC_DISPATCH_KILL_AT=<checkpoint>` kills the process with SIGKILL at that
/// point, so tests can prove that every interruption leaves a state `doctor` can repair.
public struct FaultInjection: Sendable {
    public enum Checkpoint: String, Sendable, CaseIterable {
        case commitWritten = "commit-written"
        case claimed
        case worktreeAdded = "worktree-added"
        case unlocked
        case promptWritten = "prompt-written"
        case payloadWritten = "payload-written"
    }

    let target: Checkpoint?

    public init(environment: [String: String]) {
        target = environment["SPEC_DISPATCH_KILL_AT"].flatMap(Checkpoint.init(rawValue:))
    }

    func checkpoint(_ point: Checkpoint) {
        if point == target { kill(getpid(), SIGKILL) }
    }
}
