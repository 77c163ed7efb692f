import GitKit
import SpecDispatchCore

/// A window as removal sees it: a claim branch, a worktree, or both.
struct WindowTarget {
    var owner: ArchiveOwner
    /// The claim branch's ref and tip; nil when the claim is gone.
    var claim: (reference: String, tip: ObjectID)?
    var worktree: WorktreeInfo?
    var record: DispatchRecord?

    init(_ window: Window) {
        owner = .unit(window.naming)
        claim = (window.naming.reference, window.tip)
        worktree = window.worktree
        record = window.record
    }

    /// A window whose claim branch is gone. Its dispatch commit, found from what it had checked
    /// out, is still no work.
    init(orphan worktree: WorktreeInfo, in repository: Repository) {
        let naming = WindowNaming.parse(worktreeName: worktree.name)
        owner = naming.map { .unit($0) } ?? .worktree(worktree.name)
        self.worktree = worktree
        let last = WindowWork.headCommit(of: worktree, in: repository) ?? repository.headReflog(ofWorktree: worktree.name).first?.new
        if let naming, let last { record = DispatchRecord.find(for: naming, tip: last, in: repository) }
    }

    var name: String {
        switch owner {
        case .unit(let naming): "\(naming.spec)/\(naming.unit)"
        case .worktree(let name): name
        }
    }
}

/// What removing a window would lose: its commits that no other ref keeps, wherever the window
/// had them (its claim branch, its HEAD, its HEAD's reflog since it was made), and its uncommitted
/// changes. The dispatch commit is not work: `next` writes it again.
struct WindowWork {
    /// The commits that reach the unsaved ones, each with where it was found: what to archive.
    var heads: [(part: String, commit: ObjectID)] = []
    var commits: [ObjectID] = []
    var uncommitted: [String] = []

    var isEmpty: Bool { commits.isEmpty && uncommitted.isEmpty }

    static func assess(_ target: WindowTarget, in repository: Repository) throws -> WindowWork {
        var work = WindowWork()
        let kept = try git { try repository.references(matching: "refs/*") }
            .filter { DispatchRefs.keepsWork($0.name, removing: target.claim?.reference) }.map(\.target)
        let dispatchCommit = target.record?.commit
        var found: [(part: String, commit: ObjectID)] = []
        if let claim = target.claim { found.append(("branch", claim.tip)) }
        if let worktree = target.worktree, let head = headCommit(of: worktree, in: repository), !found.contains(where: { $0.commit == head }) {
            found.append(("head", head))
        }
        var unsaved = Set<ObjectID>()
        for (part, tip) in found {
            let only = try git { try repository.commits(from: tip, excluding: kept + work.heads.map(\.commit)) }.filter { $0 != dispatchCommit }
            guard !only.isEmpty else { continue }
            work.heads.append((part, tip))
            unsaved.formUnion(only)
        }
        if let worktree = target.worktree {
            let reflogOnly = try rewrittenAway(reflogCommits(of: worktree, in: repository), kept: kept + found.map(\.commit),
                                               target: target, in: repository).filter { $0 != dispatchCommit }
            let reflogSet = Set(reflogOnly)
            // Tips only: a reflog commit whose child is also there is archived through that child.
            let parents = Set(reflogOnly.flatMap { (try? repository.commit($0).parents) ?? [] })
            for (n, commit) in reflogOnly.filter({ !parents.contains($0) }).enumerated() {
                work.heads.append(("reflog-\(n + 1)", commit))
            }
            unsaved.formUnion(reflogSet)
            work.uncommitted = WindowChanges.uncommitted(in: worktree)
        }
        work.commits = Array(unsaved)
        return work
    }

    /// The commit the worktree has checked out, whatever its branch.
    static func headCommit(of worktree: WorktreeInfo, in repository: Repository) -> ObjectID? {
        switch repository.head(ofWorktree: worktree.name) {
        case .branch(_, let commit)?, .detached(let commit)?: commit
        default: nil
        }
    }

    private static func reflogCommits(of worktree: WorktreeInfo, in repository: Repository) -> [ObjectID] {
        var seen = Set<ObjectID>()
        return repository.headReflog(ofWorktree: worktree.name).map(\.new)
            .filter { !$0.isZero && seen.insert($0).inserted && (try? repository.commit($0)) != nil }
    }

    /// Of the commits reachable from the reflog and from nothing `kept`, those that were not
    /// rewritten into a kept commit: an amend (the hooks' own, or the agent's), a rebase or a
    /// cherry-pick keeps the author, the time and the message, and leaves the old commit behind.
    private static func rewrittenAway(_ reflog: [ObjectID], kept: [ObjectID], target: WindowTarget,
                                      in repository: Repository) throws -> [ObjectID] {
        let only = try git { try repository.commits(from: reflog, excluding: kept) }
        guard !only.isEmpty else { return [] }
        // The kept commits made since the dispatch: the branch's own, and the base's that merged them.
        var since = target.claim.map { [$0.tip] } ?? []
        if let reference = target.record?.baseReference, let base = try? repository.referenceTarget(reference) { since.append(base) }
        if let worktree = target.worktree, let head = headCommit(of: worktree, in: repository) { since.append(head) }
        let floor = target.record?.baseCommit.map { [$0] } ?? []
        let keys = Set(try git { try repository.commits(from: since, excluding: floor, limit: 20_000) }.compactMap { key(of: $0, in: repository) })
        return only.filter { commit in key(of: commit, in: repository).map { !keys.contains($0) } ?? true }
    }

    private struct Key: Hashable {
        var author: Signature
        var message: String
    }

    private static func key(of commit: ObjectID, in repository: Repository) -> Key? {
        (try? repository.commit(commit)).map { Key(author: $0.author, message: $0.message) }
    }
}
