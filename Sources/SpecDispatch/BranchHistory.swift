import GitKit

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
