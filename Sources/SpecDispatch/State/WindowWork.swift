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
/// had them (its claim branch, its HEAD, its HEAD's reflog since it was made), its uncommitted
/// changes (staged ones too, when only its index is left), and the repositories nested in it
/// that hold work of their own. The dispatch commit, while it holds nothing but its mark, is not
/// work: `next` writes it again.
struct WindowWork {
    /// The commits that reach the unsaved ones, each with where it was found: what to archive.
    var heads: [(part: String, commit: ObjectID)] = []
    var commits: [ObjectID] = []
    var uncommitted: [String] = []
    /// What the index of a window whose folder is gone holds that its HEAD does not.
    var staged: (tree: ObjectID, paths: [String])?
    var nested: [NestedRepository] = []
    /// Why the window cannot be removed at all, forced or not (its branch is checked out in
    /// another working tree, which deleting the branch would leave on nothing).
    var blocker: String?

    var isEmpty: Bool { commits.isEmpty && uncommitted.isEmpty && staged == nil && nested.isEmpty }

    static func assess(_ target: WindowTarget, in repository: Repository) throws -> WindowWork {
        var work = WindowWork()
        work.blocker = try checkedOutElsewhere(target, in: repository)
        let kept = try git { try repository.references(matching: "refs/*") }
            .filter { DispatchRefs.keepsWork($0.name, removing: target.claim?.reference) }.map(\.target)
        let dispatchCommit = target.record.flatMap { DispatchCommit.holdsOnlyItsMark($0.commit, in: repository) ? $0.commit : nil }
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
            let reflog = try reflogOnly(of: worktree, target: target, kept: kept + found.map(\.commit), dispatchCommit: dispatchCommit,
                                        in: repository)
            work.heads += reflog.heads
            unsaved.formUnion(reflog.commits)
            work.uncommitted = WindowChanges.uncommitted(in: worktree)
            if !FileTree.exists(worktree.path), let head = headCommit(of: worktree, in: repository),
               let staged = repository.stagedTree(ofWorktree: worktree.name, against: head), !staged.changed.isEmpty {
                work.staged = (staged.tree, staged.changed)
            }
            work.nested = NestedRepositories.withWork(in: worktree, admin: repository.commonDirectory + "/worktrees/" + worktree.name)
        }
        work.commits = Array(unsaved)
        return work
    }

    /// Commits only the window's HEAD reflog has (not rewritten into kept ones), and the tips
    /// that reach them: a branch deleted by hand, a reset, a checkout away from a detached commit.
    static func reflogOnly(of worktree: WorktreeInfo, target: WindowTarget, kept: [ObjectID], dispatchCommit: ObjectID?,
                           in repository: Repository) throws -> (heads: [(part: String, commit: ObjectID)], commits: [ObjectID]) {
        let commits = try RewrittenCommits.notRewritten(reflogCommits(of: worktree, in: repository), kept: kept, target: target, in: repository)
            .filter { $0 != dispatchCommit }
        // Tips only: a reflog commit whose child is also there is archived through that child.
        let parents = Set(commits.flatMap { (try? repository.commit($0).parents) ?? [] })
        let heads = commits.filter { !parents.contains($0) }.enumerated().map { ("reflog-\($0.offset + 1)", $0.element) }
        return (heads, commits)
    }

    /// What only the window's HEAD reflog keeps, with nothing else assessed: what `doctor` looks for.
    static func reflogOnly(_ target: WindowTarget, in repository: Repository) throws -> (heads: [(part: String, commit: ObjectID)], commits: [ObjectID]) {
        guard let worktree = target.worktree else { return ([], []) }
        var kept = try git { try repository.references(matching: "refs/*") }.filter { $0.name.hasPrefix("refs/") }.map(\.target)
        if let head = headCommit(of: worktree, in: repository) { kept.append(head) }
        let dispatchCommit = target.record.flatMap { DispatchCommit.holdsOnlyItsMark($0.commit, in: repository) ? $0.commit : nil }
        return try reflogOnly(of: worktree, target: target, kept: kept, dispatchCommit: dispatchCommit, in: repository)
    }

    /// The commit the worktree has checked out, whatever its branch.
    static func headCommit(of worktree: WorktreeInfo, in repository: Repository) -> ObjectID? {
        switch repository.head(ofWorktree: worktree.name) {
        case .branch(_, let commit)?, .detached(let commit)?: commit
        default: nil
        }
    }

    /// Another working tree (the main one, or a linked one that is not the window) that has the
    /// claim branch checked out.
    private static func checkedOutElsewhere(_ target: WindowTarget, in repository: Repository) throws -> String? {
        guard let claim = target.claim?.reference else { return nil }
        if let main = try? repository.mainWorktreeHead(), case .branch(claim, _) = main {
            return "\(BranchName.short(claim)) is checked out in the main working tree (\(repository.mainWorktreePath() ?? "?")); check out another branch there first"
        }
        for worktree in try git({ try repository.worktrees() }) where worktree.name != target.worktree?.name {
            if case .branch(claim, _)? = repository.head(ofWorktree: worktree.name) {
                return "\(BranchName.short(claim)) is checked out in \(worktree.path); check out another branch there first"
            }
        }
        return nil
    }

    private static func reflogCommits(of worktree: WorktreeInfo, in repository: Repository) -> [ObjectID] {
        var seen = Set<ObjectID>()
        return repository.headReflog(ofWorktree: worktree.name).map(\.new)
            .filter { !$0.isZero && seen.insert($0).inserted && (try? repository.commit($0)) != nil }
    }
}

/// Commits a window's reflog still has that were rewritten into kept ones: an amend (the hooks'
/// own, or the agent's), a rebase or a cherry-pick leaves the old commit behind, with the same
/// author, time and message and the same change to every file but tasks.md (where the hooks put
/// their marks). A commit that only looks alike (same second, same message) but changed other
/// content is work.
enum RewrittenCommits {
    /// Of the commits reachable from `reflog` and from nothing `kept`, those not rewritten.
    static func notRewritten(_ reflog: [ObjectID], kept: [ObjectID], target: WindowTarget, in repository: Repository) throws -> [ObjectID] {
        let only = try git { try repository.commits(from: reflog, excluding: kept) }
        guard !only.isEmpty else { return [] }
        // The kept commits made since the dispatch: the branch's own, and the base's that merged them.
        var since = target.claim.map { [$0.tip] } ?? []
        if let reference = target.record?.baseReference, let base = try? repository.referenceTarget(reference) { since.append(base) }
        if let worktree = target.worktree, let head = WindowWork.headCommit(of: worktree, in: repository) { since.append(head) }
        let floor = target.record?.baseCommit.map { [$0] } ?? []
        var alike: [Key: [ObjectID]] = [:]
        for commit in try git({ try repository.commits(from: since, excluding: floor, limit: 20_000) }) {
            if let key = key(of: commit, in: repository) { alike[key, default: []].append(commit) }
        }
        // A commit rewritten into a newer one the reflog also has is superseded by it, which is kept.
        let newerFirst = Dictionary(reflog.enumerated().map { ($0.element, $0.offset) }, uniquingKeysWith: min)
        for commit in only { if let key = key(of: commit, in: repository) { alike[key, default: []].append(commit) } }
        return only.filter { commit in
            guard let key = key(of: commit, in: repository), let candidates = alike[key] else { return true }
            let change = self.change(of: commit, in: repository)
            return !candidates.contains { other in
                guard other != commit, change != nil, self.change(of: other, in: repository) == change else { return false }
                guard let mine = newerFirst[commit], let theirs = newerFirst[other] else { return true }
                return theirs < mine
            }
        }
    }

    private struct Key: Hashable {
        var author: Signature
        var message: String
    }

    private static func key(of commit: ObjectID, in repository: Repository) -> Key? {
        (try? repository.commit(commit)).map { Key(author: $0.author, message: $0.message) }
    }

    /// What the commit changed against its first parent: each path but tasks.md, with its new blob.
    private static func change(of id: ObjectID, in repository: Repository) -> [String: ObjectID?]? {
        guard let commit = try? repository.commit(id),
              let paths = try? repository.changedPaths(from: commit.parents.first, to: id) else { return nil }
        var change: [String: ObjectID?] = [:]
        for path in paths where !path.hasSuffix("tasks.md") {
            change[path] = .some(try? repository.blobID(atPath: path, inCommit: id))
        }
        return change
    }
}
