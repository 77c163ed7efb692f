import GitKit
import SpecDispatchCore

/// Claims shared through a git remote (DESIGN §6): a machine claims a unit by pushing its new
/// branch; the remote accepts only the first push of a branch that does not exist yet, so two
/// machines never hold the same unit. Other machines' claims are read from the remote-tracking
/// refs `refs/remotes/<remote>/dispatch/…`.
struct RemoteClaims {
    let repository: Repository
    let remote: String

    init(repository: Repository, remote: String) throws {
        guard try git({ try repository.remoteNames() }).contains(remote) else {
            throw DispatchError(.notFound, "no remote named '\(remote)'", details: ["hint: `git remote add \(remote) <url>` first"])
        }
        self.repository = repository
        self.remote = remote
    }

    var trackingPrefix: String { "refs/remotes/\(remote)/dispatch/" }

    /// Every claim branch of the remote (deleted ones pruned), and the base branch when named.
    func fetch(baseBranch: String?) throws {
        var refspecs = ["+refs/heads/dispatch/*:\(trackingPrefix)*"]
        if let baseBranch { refspecs.append("+refs/heads/\(baseBranch):refs/remotes/\(remote)/\(baseBranch)") }
        do {
            try repository.fetch(remote: remote, refspecs: refspecs, prune: true)
        } catch {
            throw DispatchError(.failure, "cannot fetch from \(remote): \(error.message)")
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
        let results: [PushRefResult]
        do {
            results = try repository.push(remote: remote, refspecs: ["\(naming.reference):\(naming.reference)"])
        } catch {
            throw DispatchError(.failure, "cannot push the claim \(naming.branch) to \(remote): \(error.message)")
        }
        if let rejection = results.first?.rejection { return rejection }
        return nil
    }

    /// Pushes a window's branch as it moves (`dispatch.pushProgress`); a failure is only reported.
    static func pushProgress(_ naming: WindowNaming, settings: DispatchSettings, repository: Repository, say: (String) -> Void) {
        guard settings.pushProgress, let remote = settings.remote else { return }
        do {
            let results = try repository.push(remote: remote, refspecs: ["\(naming.reference):\(naming.reference)"])
            if let rejection = results.first?.rejection { say("spec-dispatch: \(remote) refused \(naming.branch): \(rejection)") }
        } catch {
            say("spec-dispatch: could not push \(naming.branch) to \(remote): \(error.message)")
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
