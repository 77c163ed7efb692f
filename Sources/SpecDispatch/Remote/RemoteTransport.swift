import Foundation
import GitKit

/// How fetches and pushes reach the shared remote. libgit2 (GitKit) with git's credential
/// helpers, except over ssh, where the user's own git runs the user's own ssh: host aliases and
/// options of `~/.ssh/config`, `core.sshCommand`, keys with passphrases in the agent, all as
/// `git fetch` has them (docs/decisions/0012). `dispatch.transport` (`git`, `libgit2`) overrides.
struct RemoteTransport {
    enum Kind: String, Sendable {
        case libgit2, git
    }

    let repository: Repository
    let remote: String
    let kind: Kind

    init(repository: Repository, remote: String, url: String, setting: Kind?) {
        self.repository = repository
        self.remote = remote
        kind = setting ?? (Self.isSSH(url) && GitCommand.isAvailable ? .git : .libgit2)
    }

    /// `ssh://…`, `git+ssh://…`, or scp's `[user@]host:path`.
    static func isSSH(_ url: String) -> Bool {
        if let scheme = url.range(of: "://") { return url[..<scheme.lowerBound].split(separator: "+").contains("ssh") }
        guard let colon = url.firstIndex(of: ":") else { return false }
        return !url[..<colon].contains("/")
    }

    private var directory: String { repository.workingDirectory ?? repository.commonDirectory }

    func fetch(refspecs: [String], prune: Bool) throws(GitError) {
        switch kind {
        case .libgit2:
            try repository.fetch(remote: remote, refspecs: refspecs, prune: prune, credentials: GitCredentials.forRemotes(in: directory))
        case .git:
            try GitCommand(directory: directory).fetch(remote: remote, refspecs: refspecs, prune: prune)
        }
    }

    /// Pushes `refspecs`; `expecting` is a lease per destination (`ObjectID.zero`: absent).
    func push(refspecs: [String], expecting: [String: ObjectID] = [:]) throws(GitError) -> [PushRefResult] {
        switch kind {
        case .libgit2:
            try repository.push(remote: remote, refspecs: refspecs, expecting: expecting, credentials: GitCredentials.forRemotes(in: directory))
        case .git:
            try GitCommand(directory: directory).push(remote: remote, refspecs: refspecs, expecting: expecting)
        }
    }

    /// The references the remote advertises now.
    func references() throws(GitError) -> [String: ObjectID] {
        switch kind {
        case .libgit2: try repository.remoteReferences(remote, credentials: GitCredentials.forRemotes(in: directory))
        case .git: try GitCommand(directory: directory).references(remote: remote)
        }
    }
}
