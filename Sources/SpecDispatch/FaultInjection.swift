#if canImport(Glibc)
import Glibc
#endif

/// A test hook: `SPEC_DISPATCH_KILL_AT=<checkpoint>` kills the process with SIGKILL at that
/// point, so tests can prove that every interruption leaves a state `doctor` can repair.
public struct FaultInjection: Sendable {
    public enum Checkpoint: String, Sendable {
        case commitWritten = "commit-written"
        case claimed
        case worktreeAdded = "worktree-added"
        case unlocked
        case promptWritten = "prompt-written"
        case payloadWritten = "payload-written"
        // merge
        case journalWritten = "journal-written"
        case checkoutUpdated = "checkout-updated"
        case baseMoved = "base-moved"
        case reviewLogged = "review-logged"
        case windowRetired = "window-retired"

        public static let dispatch: [Checkpoint] = [.commitWritten, .claimed, .worktreeAdded, .unlocked, .promptWritten, .payloadWritten]
        public static let merge: [Checkpoint] = [.journalWritten, .checkoutUpdated, .baseMoved, .reviewLogged, .windowRetired]
    }

    let target: Checkpoint?

    public init(environment: [String: String]) {
        target = environment["SPEC_DISPATCH_KILL_AT"].flatMap(Checkpoint.init(rawValue:))
    }

    func checkpoint(_ point: Checkpoint) {
        if point == target { kill(getpid(), SIGKILL) }
    }
}
