/// Exit codes, stable across releases (docs/exit-codes.md).
public enum ExitStatus: Int32, Sendable {
    case success = 0
    /// A git or file-system operation failed.
    case failure = 1
    /// tasks.md (or a setting) is invalid: `path:line:` diagnostics were printed.
    case invalidInput = 2
    /// No repository, no spec, no such spec or unit.
    case notFound = 3
    /// `next`: nothing is ready to dispatch.
    case nothingReady = 4
    /// `next`: the open-window cap is reached.
    case windowCapReached = 5
    /// `next`: every ready unit writes files an open window writes.
    case blockedByOpenWindows = 6
    /// The command refused because it would lose work or collide (dirty tree, conflict, path taken).
    case refused = 7
    /// `doctor`: problems found (and left, without `--fix` or when a repair needs `--force`).
    case problemsFound = 8
    /// A remote refused every credential there was (git's credential helpers, ssh-agent, key files).
    case authenticationFailed = 9
    /// Bad command-line usage (swift-argument-parser's code).
    case usage = 64
    /// `run`: stopped by SIGINT (Ctrl-C), its agents stopped (128 + 2, as a shell reports it).
    case interrupted = 130
    /// `run`: stopped by SIGTERM, its agents stopped (128 + 15).
    case terminated = 143
}
