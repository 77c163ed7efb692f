import GitKit
import SpecDispatchCore

/// Who blocked which step, as `block` records it: `Blocks:` and `Blocked-By:` trailers on the
/// unit's branch (metadata in git, beside the `_Blocked:_` line that holds the reason).
enum BlockRecord {
    /// The latest `Blocked-By:` per step, walking first parents from the tip to the dispatch commit.
    static func blockers(on window: Window, in repository: Repository, limit: Int = 1000) -> [TaskID: String] {
        var result: [TaskID: String] = [:]
        var next: ObjectID? = window.tip
        var steps = 0
        while let id = next, steps < limit, let commit = try? repository.commit(id) {
            let trailers = Repository.trailers(of: commit.message)
            if let step = trailers.first(where: { $0.key == "Blocks" }).flatMap({ TaskID($0.value) }), result[step] == nil,
               let by = trailers.first(where: { $0.key == "Blocked-By" })?.value {
                result[step] = by
            }
            if id == window.record?.commit { break }
            next = commit.parents.first
            steps += 1
        }
        return result
    }
}
