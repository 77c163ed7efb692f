import GitKit
import SpecDispatchCore

/// The first commit of a unit's branch: tasks.md with the unit's current step (and so its
/// parent) marked `[-]`, and the dispatch record in its trailers. Written before the claim ref,
/// which then points at it.
enum DispatchCommit {
    static func make(for choice: DispatchPlanner.Choice, naming: WindowNaming, base: BaseRevision, agent: String?,
                     remote: String?, in repository: Repository) throws -> (commit: ObjectID, tasks: [UInt8]) {
        let tree = choice.tree
        let unit = tree.units[choice.unitIndex]
        let tasks = TextEdit.apply(UnitProgress(unit: unit, tree: tree).edits(in: tree), to: tree.document.bytes)
        let title = tree.nodes[unit.root].entry.title
        let commit = try git {
            let blob = try repository.writeBlob(tasks)
            let root = try repository.writeTree(byReplacing: choice.spec.tasksPath, with: blob, in: try repository.tree(of: base.commit))
            let signature = repository.defaultSignature()
            return try repository.createCommit(tree: root, parents: [base.commit],
                                               message: DispatchRecord.message(naming: naming, title: title, base: base, agent: agent, remote: remote),
                                               author: signature, committer: signature)
        }
        return (commit, tasks)
    }
}

extension DispatchCommit {
    /// True while the dispatch commit is what `next` made of it: one parent, and no change but the
    /// unit's mark in tasks.md. An agent may amend its work into it (and keep its trailers, which
    /// are how it is found); then it holds work like any other commit.
    static func holdsOnlyItsMark(_ commit: ObjectID, in repository: Repository) -> Bool {
        guard let parents = try? repository.commit(commit).parents, parents.count == 1,
              let changed = try? repository.changedPaths(from: parents[0], to: commit) else { return false }
        return changed.count <= 1 && changed.allSatisfy { $0.hasSuffix("tasks.md") }
    }
}

extension Window {
    /// The claim holds nothing but the dispatch commit as `next` made it.
    func holdsNoWork(in repository: Repository) -> Bool {
        guard let record, record.commit == tip else { return false }
        return DispatchCommit.holdsOnlyItsMark(tip, in: repository)
    }
}
