import GitKit

/// Every failure a command reports, by what went wrong: the one place that decides its exit code
/// (docs/exit-codes.md) and how it reads. The message is one line (or a few), in git's tone;
/// `details` are printed after it (`path:line:` diagnostics, hints).
public enum DispatchError: Error, CustomStringConvertible, Sendable {
    /// `next`: no unit is ready.
    case nothingReady(String, details: [String] = [])
    /// `next`: the open-window cap is reached.
    case windowCapReached(String, details: [String] = [])
    /// `next`: every ready unit writes files an open window writes.
    case blockedByOpenWindows(String, details: [String] = [])
    /// The command would lose work or collide (uncommitted changes, unmerged commits, a conflict).
    case refused(String, details: [String] = [])
    /// No repository, spec, unit or window.
    case notFound(String, details: [String] = [])
    /// tasks.md, a setting or an argument is invalid.
    case invalidInput(String, details: [String] = [])
    /// The command line is wrong in a way only the command can tell.
    case usage(String, details: [String] = [])
    /// A file-system operation failed, or git did in a way that has its own words here.
    case failure(String, details: [String] = [])
    /// A git operation failed; libgit2's words.
    case git(GitError)
    /// `run` was stopped by a signal (SIGINT or SIGTERM), having stopped its agents.
    case interrupted(String, signal: Int32)
    /// A remote took none of the credentials there were (`notAuthenticated` words it).
    case authentication(String, details: [String] = [])
    /// The command printed what it found (diagnostics, a doctor report) and ends with this
    /// status, saying nothing more.
    case reported(ExitStatus)

    public var exitCode: ExitStatus {
        switch self {
        case .nothingReady: .nothingReady
        case .windowCapReached: .windowCapReached
        case .blockedByOpenWindows: .blockedByOpenWindows
        case .refused: .refused
        case .notFound: .notFound
        case .invalidInput: .invalidInput
        case .usage: .usage
        case .failure, .git: .failure
        case .interrupted(_, let signal): signal == 15 ? .terminated : .interrupted
        case .authentication: .authenticationFailed
        case .reported(let status): status
        }
    }

    public var message: String {
        switch self {
        case .nothingReady(let message, _), .windowCapReached(let message, _), .blockedByOpenWindows(let message, _),
             .refused(let message, _), .notFound(let message, _), .invalidInput(let message, _), .usage(let message, _),
             .failure(let message, _), .interrupted(let message, _), .authentication(let message, _):
            message
        case .git(let error): error.description
        case .reported: ""
        }
    }

    public var details: [String] {
        switch self {
        case .nothingReady(_, let details), .windowCapReached(_, let details), .blockedByOpenWindows(_, let details),
             .refused(_, let details), .notFound(_, let details), .invalidInput(_, let details), .usage(_, let details),
             .failure(_, let details), .authentication(_, let details):
            details
        case .git, .interrupted, .reported: []
        }
    }

    public var description: String { ([message] + details).joined(separator: "\n") }

    /// The same failure, its message led by `context` ("approved s/2, but did not merge: …").
    func prefixed(_ context: String) -> DispatchError {
        switch self {
        case .nothingReady(let m, let d): .nothingReady(context + m, details: d)
        case .windowCapReached(let m, let d): .windowCapReached(context + m, details: d)
        case .blockedByOpenWindows(let m, let d): .blockedByOpenWindows(context + m, details: d)
        case .refused(let m, let d): .refused(context + m, details: d)
        case .notFound(let m, let d): .notFound(context + m, details: d)
        case .invalidInput(let m, let d): .invalidInput(context + m, details: d)
        case .usage(let m, let d): .usage(context + m, details: d)
        case .failure(let m, let d): .failure(context + m, details: d)
        case .git(let error): .failure(context + error.description)
        case .interrupted(let m, let signal): .interrupted(context + m, signal: signal)
        case .authentication(let m, let d): .authentication(context + m, details: d)
        case .reported: self
        }
    }

    /// `remote` (at `url`) took none of the credentials there were; `error` says which were tried.
    static func notAuthenticated(remote: String, url: String, _ error: GitError) -> DispatchError {
        let tried = error.message.hasPrefix("authentication failed: ") ? String(error.message.dropFirst("authentication failed: ".count)) : error.message
        let hint = if url.hasPrefix("http://") || url.hasPrefix("https://") {
            ["hint: give git a (new) password or token for it through a credential helper (`git config --global credential.helper store`, or `gh auth setup-git` for GitHub), then `git fetch \(remote)` once: git asks, and the helper keeps it"]
        } else if tried.contains("your git") {
            ["hint: spec-dispatch reaches \(remote) through your git and ssh: `git fetch \(remote)` shows what they need (a key in ssh-agent, ~/.ssh/config)"]
        } else {
            ["hint: add the key to ssh-agent (`ssh-add`); with dispatch.transport = libgit2, ~/.ssh/config and core.sshCommand are not read (docs/agents.md)"]
        }
        return .authentication("cannot authenticate to \(remote) (\(url)): \(tried)", details: hint)
    }

    static func notARepository(_ path: String) -> DispatchError {
        .notFound("not a git repository (or any parent up to /): \(path)")
    }
}

/// Runs a GitKit call, turning its error into a `DispatchError`.
func git<T>(_ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let error as GitError {
        throw DispatchError.git(error)
    }
}
