import CLibGit2

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One side of a conflicted path: the blob it had and its mode.
public struct ConflictSide: Sendable, Equatable {
    /// The blob id.
    public let id: ObjectID
    /// The git file mode, e.g. 0o100644.
    public let mode: UInt32

    /// A side from its parts.
    public init(id: ObjectID, mode: UInt32) {
        self.id = id
        self.mode = mode
    }
}

/// A path both sides changed incompatibly; a side is nil when the path did not exist there.
public struct ConflictEntry: Sendable, Equatable {
    /// The conflicted path.
    public let path: String
    /// The version in the merge base.
    public let ancestor: ConflictSide?
    /// Our version.
    public let ours: ConflictSide?
    /// Their version.
    public let theirs: ConflictSide?

    /// An entry from its parts.
    public init(path: String, ancestor: ConflictSide?, ours: ConflictSide?, theirs: ConflictSide?) {
        self.path = path
        self.ancestor = ancestor
        self.ours = ours
        self.theirs = theirs
    }
}

/// The in-memory index a merge produced (a `git_index *`), where conflicts are resolved before writing a tree.
public final class MergeResult {
    private let index: OpaquePointer
    private let repository: Repository

    /// The paths still in conflict, sorted by path.
    public private(set) var conflicts: [ConflictEntry] = []

    /// Takes ownership of the index `git_merge_commits` returned.
    init(owning index: OpaquePointer, repository: Repository) throws(GitError) {
        self.index = index
        self.repository = repository
        conflicts = try readConflicts()
    }

    deinit {
        git_index_free(index)
    }

    /// True while some path is in conflict.
    public var hasConflicts: Bool {
        !conflicts.isEmpty
    }

    /// Sets `path` to `blob`: its conflict entries, if any, are replaced by a normal (stage 0) entry.
    public func resolve(path: String, with blob: ObjectID, mode: FileMode) throws(GitError) {
        let removed = git_index_conflict_remove(index, path)
        if isCode(removed, GIT_ENOTFOUND) { forgetError() } else { try check(removed, "git_index_conflict_remove", path) }
        let cPath = duplicate(path)
        defer { free(cPath) }
        var entry = git_index_entry()
        entry.mode = mode.rawValue
        entry.id = blob.oid
        entry.path = UnsafePointer(cPath)
        try check(git_index_add(index, &entry), "git_index_add", path)
        conflicts = try readConflicts()
    }

    /// Writes the merged tree; `.mergeConflict` while conflicts remain.
    public func writeTree() throws(GitError) -> ObjectID {
        guard conflicts.isEmpty else {
            throw GitError(
                code: .mergeConflict,
                errorClass: Int32(GIT_ERROR_MERGE.rawValue),
                message: "unresolved conflicts remain: \(conflicts.map(\.path).joined(separator: ", "))",
                operation: "git_index_write_tree_to"
            )
        }
        var oid = git_oid()
        try check(git_index_write_tree_to(&oid, index, repository.pointer), "git_index_write_tree_to")
        return ObjectID(oid)
    }

    private func readConflicts() throws(GitError) -> [ConflictEntry] {
        var iterator: OpaquePointer?
        try check(git_index_conflict_iterator_new(&iterator, index), "git_index_conflict_iterator_new")
        defer { git_index_conflict_iterator_free(iterator) }
        var result: [ConflictEntry] = []
        while true {
            var ancestor: UnsafePointer<git_index_entry>?
            var ours: UnsafePointer<git_index_entry>?
            var theirs: UnsafePointer<git_index_entry>?
            let status = git_index_conflict_next(&ancestor, &ours, &theirs, iterator)
            if isCode(status, GIT_ITEROVER) {
                forgetError()
                break
            }
            try check(status, "git_index_conflict_next")
            let side = { (entry: UnsafePointer<git_index_entry>?) in
                entry.map { ConflictSide(id: ObjectID($0.pointee.id), mode: $0.pointee.mode) }
            }
            let path = String(libgit2: (ancestor ?? ours ?? theirs)?.pointee.path) ?? ""
            result.append(ConflictEntry(path: path, ancestor: side(ancestor), ours: side(ours), theirs: side(theirs)))
        }
        return result.sorted { $0.path < $1.path }
    }
}
