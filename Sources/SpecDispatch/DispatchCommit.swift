import GitKit
import SpecDispatchCore

/// The first commit of a unit's branch: tasks.md with the unit's current step (and so its
/// parent) marked `[-]`, and the dispatch record in its trailers. Written before the claim ref,
/// which then points at it.
enum DispatchCommit {
    static func make(for choice: DispatchPlanner.Choice, naming: WindowNaming, base: BaseRevision, agent: String?,
                     in repository: Repository) throws -> (commit: ObjectID, tasks: [UInt8]) {
        let tree = choice.tree
        let unit = tree.units[choice.unitIndex]
        let tasks = TextEdit.apply(UnitProgress(unit: unit, tree: tree).edits(in: tree), to: tree.document.bytes)
        let title = tree.nodes[unit.root].entry.title
        let commit = try git {
            let blob = try repository.writeBlob(tasks)
            let root = try repository.writeTree(byReplacing: choice.spec.tasksPath, with: blob, in: try repository.tree(of: base.commit))
            let signature = repository.defaultSignature()
            return try repository.createCommit(tree: root, parents: [base.commit],
                                               message: DispatchRecord.message(naming: naming, title: title, base: base, agent: agent),
                                               author: signature, committer: signature)
        }
        return (commit, tasks)
    }
}
