import GitKit
import SpecDispatchCore

/// A claim branch's own commits: first parents from its tip back to its dispatch commit, never
/// further into the base's history (where other units' trailers live).
enum BranchHistory {
    /// Calls `visit` with each commit, newest first, until it returns false, the dispatch commit
    /// has been visited, or `limit` commits were seen.
    static func walk(_ window: Window, in repository: Repository, limit: Int = 10_000,
                     _ visit: (ObjectID, Commit) -> Bool) {
        var next: ObjectID? = window.tip
        var seen = 0
        while let id = next, seen < limit, let commit = try? repository.commit(id) {
            guard visit(id, commit), id != window.record?.commit else { return }
            next = commit.parents.first
            seen += 1
        }
    }
}

extension BranchHistory {
    /// The `Completes:` ids of a claim branch's own commits, oldest first: first parents from
    /// `tip` back to the commit that dispatched the unit (known by its trailers), which names none.
    static func completions(of naming: WindowNaming, tip: ObjectID, in repository: Repository,
                            limit: Int = 10_000) -> [(commit: ObjectID, ids: [TaskID])] {
        var found: [(commit: ObjectID, ids: [TaskID])] = []
        var next: ObjectID? = tip
        var seen = 0
        while let id = next, seen < limit, let commit = try? repository.commit(id) {
            let trailers = Repository.trailers(of: commit.message)
            if trailers.contains(where: { $0.key == DispatchRecord.unitKey && $0.value == naming.unit.text }),
               trailers.contains(where: { $0.key == DispatchRecord.specKey && $0.value == naming.spec }) {
                break
            }
            let ids = ProgressTrailers.completions(in: trailers).ids
            if !ids.isEmpty { found.append((id, ids)) }
            next = commit.parents.first
            seen += 1
        }
        return found.reversed()
    }
}
