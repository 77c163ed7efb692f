#if canImport(Glibc)
import Glibc
#endif

/// A test hook: `SPEC_DISPATCH_KILL_AT=<checkpoint>` kills the process with SIGKILL at that
/// point, so tests can prove that every interruption leaves a state `doctor` can repair.
/// `<checkpoint>:TERM` sends SIGTERM instead, to the process and its parent, as a stop of the
/// process group would. Only debug builds (the ones tests run) read the variable: in a release
/// binary no environment can make spec-dispatch kill itself.
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
        // post-commit hook: the commit is amended, the index and working tree not yet updated
        case hookAmended = "hook-amended"

        public static let dispatch: [Checkpoint] = [.commitWritten, .claimed, .worktreeAdded, .unlocked, .promptWritten, .payloadWritten]
        public static let merge: [Checkpoint] = [.journalWritten, .checkoutUpdated, .baseMoved, .reviewLogged, .windowRetired]
    }

    let target: Checkpoint?
    let terminates: Bool

    public init(environment: [String: String]) {
        #if SPEC_DISPATCH_FAULT_INJECTION
        let setting = environment["SPEC_DISPATCH_KILL_AT"] ?? ""
        terminates = setting.hasSuffix(":TERM")
        target = Checkpoint(rawValue: terminates ? String(setting.dropLast(":TERM".count)) : setting)
        #else
        terminates = false
        target = nil
        #endif
    }

    func checkpoint(_ point: Checkpoint) {
        #if SPEC_DISPATCH_FAULT_INJECTION
        guard point == target else { return }
        if terminates {
            kill(getppid(), SIGTERM)
            kill(getpid(), SIGTERM)
        } else {
            kill(getpid(), SIGKILL)
        }
        #endif
    }
}
