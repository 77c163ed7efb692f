import CLibGit2

/// One line of a reflog: the reference moved from `old` to `new`.
public struct ReflogEntry: Sendable, Equatable {
    /// Where it pointed before (all zeros when it was created).
    public let old: ObjectID
    /// Where it pointed after.
    public let new: ObjectID
    /// Why, as the writer said it (`commit: …`, `checkout: moving from … to …`).
    public let message: String

    /// An entry from its parts.
    public init(old: ObjectID, new: ObjectID, message: String) {
        self.old = old
        self.new = new
        self.message = message
    }
}

extension Repository {
    /// HEAD of linked worktree `name`, read from its admin folder, so it answers even when the
    /// worktree's folder is gone; a branch that no longer exists comes back `.unborn`. Nil when
    /// there is no such worktree or its HEAD is unreadable.
    public func head(ofWorktree name: String) -> Head? {
        guard let bytes = FileSystem.contents(of: worktreeAdminFolderPath(name) + "/HEAD") else { return nil }
        let text = String(decoding: bytes, as: UTF8.self).trimmingTrailingNewlines()
        if text.hasPrefix("ref: ") {
            let branch = String(text.dropFirst("ref: ".count))
            guard let commit = try? referenceTarget(branch) else { return .unborn(branch: branch) }
            return .branch(name: branch, commit: commit)
        }
        return ObjectID(hex: text).map { .detached(commit: $0) }
    }

    /// The reflog of linked worktree `name`'s HEAD, newest first: every commit that was checked
    /// out there, including ones no branch holds any more. Empty when it has none.
    public func headReflog(ofWorktree name: String) -> [ReflogEntry] {
        guard let bytes = FileSystem.contents(of: worktreeAdminFolderPath(name) + "/logs/HEAD") else { return [] }
        return bytes.split(separator: 0x0A).compactMap(Self.reflogEntry).reversed()
    }

    /// `<old> <new> <name> <<email>> <time> <zone>\t<message>`, as git and libgit2 write it.
    private static func reflogEntry(_ line: ArraySlice<UInt8>) -> ReflogEntry? {
        let tab = line.firstIndex(of: 0x09)
        let head = line[..<(tab ?? line.endIndex)]
        let fields = head.split(separator: 0x20, maxSplits: 2)
        guard fields.count >= 2, let old = ObjectID(hex: String(decoding: fields[0], as: UTF8.self)),
              let new = ObjectID(hex: String(decoding: fields[1], as: UTF8.self)) else { return nil }
        let message = tab.map { String(decoding: line[line.index(after: $0)...], as: UTF8.self) } ?? ""
        return ReflogEntry(old: old, new: new, message: message)
    }
}

private extension String {
    func trimmingTrailingNewlines() -> String {
        var text = self
        while text.last == "\n" || text.last == "\r" { text.removeLast() }
        return text
    }
}

extension Repository {
    /// The index of linked worktree `name`, read from its admin folder (so it answers when the
    /// worktree's folder is gone or moved): the tree it would commit, and the paths where it
    /// differs from `head`. Nil when there is no readable index or it has conflicts.
    public func stagedTree(ofWorktree name: String, against head: ObjectID) -> (tree: ObjectID, changed: [String])? {
        let path = worktreeAdminFolderPath(name) + "/index"
        guard FileSystem.kind(of: path) == .other else { return nil }
        var index: OpaquePointer?
        guard git_index_open(&index, path) == 0 else {
            forgetError()
            return nil
        }
        defer { git_index_free(index) }
        var oid = git_oid()
        guard git_index_write_tree_to(&oid, index, pointer) == 0 else {
            forgetError()
            return nil
        }
        let tree = ObjectID(oid)
        guard let changed = try? changedPaths(from: self.tree(of: head), to: tree) else { return nil }
        return (tree, changed)
    }

    /// Whether this repository is bare (no working tree of its own); for a linked worktree, of
    /// the repository it belongs to.
    public var mainIsBare: Bool {
        (try? mainRepository()).map { git_repository_is_bare($0.pointer) == 1 } ?? false
    }

    func worktreeAdminFolderPath(_ name: String) -> String {
        commonDirectory + "/worktrees/" + name
    }
}
