import Foundation
import GitKit
import SpecDispatchCore

/// Claims shared through a git remote (docs/agents.md, "Many machines"): a machine claims a unit by pushing its new
/// branch; the remote accepts only the first push of a branch that does not exist yet, so two
/// machines never hold the same unit. Other machines' claims are read from the remote-tracking
/// refs `refs/remotes/<remote>/dispatch/…`.
struct RemoteClaims {
    let repository: Repository
    let remote: String
    let url: String
    private let transport: RemoteTransport

    init(repository: Repository, remote: String) throws {
        guard try git({ try repository.remoteNames() }).contains(remote), let url = try git({ try repository.remoteURL(remote) }) else {
            throw DispatchError.notFound("no remote named '\(remote)'", details: ["hint: `git remote add \(remote) <url>` first"])
        }
        self.repository = repository
        self.remote = remote
        self.url = url
        let setting = try DispatchSettings(config: try git { try repository.config() }).transport
        transport = RemoteTransport(repository: repository, remote: remote, url: url, setting: setting)
    }

    var trackingPrefix: String { DispatchRefs.remoteClaimPrefix(remote) }

    /// Every claim branch of the remote (deleted ones pruned), and the base branch when named.
    func fetch(baseBranch: String?) throws {
        var refspecs = ["+\(DispatchRefs.claimPrefix)*:\(trackingPrefix)*"]
        if let baseBranch { refspecs.append("+refs/heads/\(baseBranch):refs/remotes/\(remote)/\(baseBranch)") }
        try transfer("fetch from \(remote)") { (transport) throws(GitError) in
            try transport.fetch(refspecs: refspecs, prune: true)
        }
    }

    /// A fetch or push through this remote (RemoteTransport); a failure in words, and one to
    /// authenticate with its own exit code.
    func transfer<T>(_ doing: String, _ body: (RemoteTransport) throws(GitError) -> T) throws -> T {
        do {
            return try Self.transfer(repository) { () throws(GitError) in try body(transport) }
        } catch {
            if error.code == .auth { throw DispatchError.notAuthenticated(remote: remote, url: url, error) }
            throw DispatchError.failure("cannot \(doing): \(error.message)")
        }
    }

    /// Runs a fetch or push under the transfer lock (TransferLock), so that dispatchers of this
    /// machine never write the same remote-tracking ref at once; and again, a few times, when a
    /// git command of someone else's held one, since libgit2 fails at once on a ref's lock.
    static func transfer<T>(_ repository: Repository, _ body: () throws(GitError) -> T) throws(GitError) -> T {
        let lock = try? TransferLock(repository: repository)
        defer { withExtendedLifetime(lock) {} }
        var attempt = 1
        while true {
            do {
                return try body()
            } catch where attempt < 5 && (error.code == .locked || error.message.contains("failed to lock")
                                          || (error.code == .notFound && error.message.contains("refs/remotes/"))) {
                usleep(UInt32(50_000 * attempt))
                attempt += 1
            }
        }
    }

    /// The remote's tip of the base branch, as last fetched.
    func baseTip(_ branch: String) -> ObjectID? {
        try? repository.referenceTarget("refs/remotes/\(remote)/\(branch)")
    }

    /// Claims on the remote, as windows without a worktree here.
    func windows() throws -> [Window] {
        try git { try repository.references(matching: trackingPrefix + "*") }.compactMap { ref in
            guard let naming = WindowNaming.parse(reference: WindowNaming.branchPrefix + ref.name.dropFirst(trackingPrefix.count)) else { return nil }
            return Window(naming: naming, tip: ref.target, worktree: nil,
                          record: DispatchRecord.find(for: naming, tip: ref.target, in: repository), remote: remote)
        }
    }

    /// Pushes a new claim; returns why the remote refused it (someone else claimed it), or nil.
    func push(_ naming: WindowNaming) throws -> String? {
        if let path = try localPath() { return try claimOnDisk(naming, remotePath: path) }
        // Only where the remote has no such branch: pushing a claim it already has (the same
        // commit) would be "up to date", a success for both machines.
        return try transfer("push \(naming.branch) to \(remote)") { (transport) throws(GitError) in
            try transport.push(refspecs: ["\(naming.reference):\(naming.reference)"], expecting: [naming.reference: .zero])
        }.first?.rejection
    }

    /// What the remote holds now for these references (asked, not the fetched copies); a
    /// reference it lacks is absent.
    func current(_ references: [String]) throws -> [String: ObjectID] {
        let advertised = try transfer("list the branches of \(remote)") { (transport) throws(GitError) in
            try transport.references()
        }
        return advertised.filter { references.contains($0.key) }
    }

    /// Deletes the unit's claim on the remote, only while it holds `value`; returns why not
    /// ("stale info": it moved, someone claimed the unit again), or nil.
    func delete(_ naming: WindowNaming, expecting value: ObjectID) throws -> String? {
        if let path = try localPath() {
            // As for a claim's creation: libgit2's local transport would not check the old value.
            let shared = try git { try Repository.open(at: path) }
            do {
                try shared.deleteReference(naming.reference, expecting: value)
            } catch {
                if error.code == .notFound { return nil }
                if error.code == .modified { return "stale info" }
                throw DispatchError.failure("cannot delete the claim \(naming.branch) in \(path): \(error.message)")
            }
            return nil
        }
        return try transfer("delete \(naming.branch) on \(remote)") { (transport) throws(GitError) in
            try transport.push(refspecs: [":\(naming.reference)"], expecting: [naming.reference: value])
        }.first?.rejection
    }

    /// Pushes a branch to the same name on the remote, fast-forward only; returns why the remote
    /// refused it, or nil.
    func pushBranch(_ reference: String) throws -> String? {
        try pushReference(reference, to: reference)
    }

    private func pushReference(_ source: String, to destination: String) throws -> String? {
        try transfer("push \(source) to \(remote)") { (transport) throws(GitError) in
            try transport.push(refspecs: ["\(source):\(destination)"])
        }.first?.rejection
    }

    /// The repository folder of a remote that is a path (or `file://`) rather than a server.
    private func localPath() throws -> String? {
        if url.hasPrefix("file://") { return String(url.dropFirst("file://".count)) }
        if url.contains("://") || (url.contains(":") && !url.hasPrefix("/")) { return nil }
        return url.hasPrefix("/") ? url : "\(repository.mainWorktreePath() ?? repository.commonDirectory)/\(url)"
    }

    /// libgit2's local transport writes pushed refs without checking their old value, so two
    /// machines pushing the same new branch would both "win". On disk the claim is made as
    /// locally: objects arrive under a ref of our own, then the claim ref is created in the
    /// remote repository only if absent. (Servers get the same guarantee from receive-pack.)
    private func claimOnDisk(_ naming: WindowNaming, remotePath: String) throws -> String? {
        guard let commit = try git({ try repository.referenceTarget(naming.reference) }) else { return "the claim is gone" }
        let incoming = DispatchRefs.incoming()
        if let rejection = try pushReference(naming.reference, to: incoming) { return rejection }
        let shared = try git { try Repository.open(at: remotePath) }
        defer { try? shared.deleteReference(incoming, expecting: commit) }
        do {
            try shared.createReference(naming.reference, target: commit, logMessage: "spec-dispatch: claim unit \(naming.unit)")
        } catch {
            if error.code == .exists { return "already claimed there" }
            throw DispatchError.failure("cannot create the claim \(naming.branch) in \(remotePath): \(error.message)")
        }
        return nil
    }

    /// Pushes a window's branch as it moves (`dispatch.pushProgress`); a failure is only reported.
    static func pushProgress(_ naming: WindowNaming, settings: DispatchSettings, repository: Repository, say: (String) -> Void) {
        guard settings.pushProgress, let remote = settings.remote else { return }
        do {
            let claims = try RemoteClaims(repository: repository, remote: remote)
            let results = try claims.transfer("push \(naming.branch) to \(remote)") { (transport) throws(GitError) in
                try transport.push(refspecs: ["\(naming.reference):\(naming.reference)"])
            }
            if let rejection = results.first?.rejection { say("spec-dispatch: \(remote) refused \(naming.branch): \(rejection)") }
        } catch let error as DispatchError {
            say("spec-dispatch: could not push \(naming.branch) to \(remote): \(error.message)")
        } catch {
            say("spec-dispatch: could not push \(naming.branch) to \(remote): \(error)")
        }
    }

    /// The flag file the post-commit hook looks for before starting a process to push.
    static func flagFile(_ repository: Repository) -> String { "\(repository.commonDirectory)/spec-dispatch/push-progress" }

    static func updateFlag(_ repository: Repository, settings: DispatchSettings) {
        let file = flagFile(repository)
        if settings.pushProgress, let remote = settings.remote {
            if FileTree.contents(file) != Array(remote.utf8) { try? FileTree.writeAtomically(Array(remote.utf8), to: file) }
        } else if FileTree.exists(file) {
            try? FileTree.remove(file)
        }
    }
}
