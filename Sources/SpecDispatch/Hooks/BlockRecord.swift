import GitKit
import SpecDispatchCore

/// Who blocked which step, as `block` records it: `Blocks:` and `Blocked-By:` trailers on the
/// unit's branch (metadata in git, beside the `_Blocked:_` line that holds the reason).
enum BlockRecord {
    /// The latest `Blocked-By:` per step, walking first parents from the tip to the dispatch commit.
    static func blockers(on window: Window, in repository: Repository, limit: Int = 1000) -> [TaskID: String] {
        var result: [TaskID: String] = [:]
        BranchHistory.walk(window, in: repository, limit: limit) { _, commit in
            let trailers = Repository.trailers(of: commit.message)
            if let step = trailers.first(where: { $0.key == "Blocks" }).flatMap({ TaskID($0.value) }), result[step] == nil,
               let by = trailers.first(where: { $0.key == "Blocked-By" })?.value {
                result[step] = by
            }
            return true
        }
        return result
    }
}
