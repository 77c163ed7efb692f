import GitKit
import SpecDispatchCore

/// After tasks.md changed in a commit made without `git commit` (an amend in post-commit, or a
/// `done`/`block`/`unblock` commit), brings the index and the working file along, so that
/// `git status` stays as it was: a copy that matched the old commit is updated; one with the
/// user's own edits, staged or not, gets the same change applied to those edits.
struct TasksFileSync {
    let context: WindowContext

    func sync(old: [UInt8], new: [UInt8], reapply: (TaskTree) -> [TextEdit]?) throws {
        let repository = context.repository
        let path = context.spec.tasksPath
        guard let root = repository.workingDirectory else { return }
        let file = "\(root)/\(path)"
        let working = FileTree.contents(file)
        if working == old {
            try FileTree.writeAtomically(new, to: file)
        } else if let working, let edits = reapply(context.tree(working)) {
            try FileTree.writeAtomically(TextEdit.apply(edits, to: working), to: file)
        }
        // After `git commit <paths>` the index post-commit sees (the real one) still holds the
        // user's staged tasks.md, not the committed one: left as it is, the next plain commit
        // would take the marks back.
        guard let stagedID = try git({ try repository.indexEntryID(path: path) }) else { return }
        let staged: [UInt8]
        if stagedID == repository.hashBlob(old) {
            staged = new
        } else {
            let bytes = try git { try repository.blob(stagedID) }
            guard let edits = reapply(context.tree(bytes)), !edits.isEmpty else { return }
            staged = TextEdit.apply(edits, to: bytes)
        }
        if FileTree.contents(file) == staged {
            try git { try repository.stage(paths: [path]) }
        } else {
            try git { try repository.stage(path: path, contents: staged) }
        }
    }
}

/// Commits tasks.md changes on a claim branch: a new commit, or the HEAD commit rewritten in
/// place (same parents, author, committer and message). The branch moves only if it still
/// points where it did (compare-and-swap).
enum TasksCommit {
    static func commit(_ tasks: [UInt8], in context: WindowContext, message: String) throws -> ObjectID {
        let repository = context.repository
        let signature = repository.defaultSignature()
        return try write(tasks, in: context) { tree in
            try repository.createCommit(tree: tree, parents: [context.head], message: message, author: signature, committer: signature)
        }
    }

    static func amend(_ commit: Commit, with tasks: [UInt8], in context: WindowContext) throws -> ObjectID {
        try write(tasks, in: context, base: commit.tree) { tree in
            try context.repository.createCommit(tree: tree, parents: commit.parents, message: commit.message,
                                                author: commit.author, committer: commit.committer)
        }
    }

    private static func write(_ tasks: [UInt8], in context: WindowContext, base: ObjectID? = nil,
                              make: (ObjectID) throws -> ObjectID) throws -> ObjectID {
        let repository = context.repository
        return try git {
            let blob = try repository.writeBlob(tasks)
            let root = try repository.writeTree(byReplacing: context.spec.tasksPath, with: blob,
                                                in: try base ?? repository.tree(of: context.head))
            let commit = try make(root)
            try DispatchState(repository: repository).moveClaim(context.naming, from: context.head, to: commit,
                                                                why: "update \(context.spec.tasksPath)")
            return commit
        }
    }
}
