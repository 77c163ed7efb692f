import CLibGit2

/// How a path differs, in one column of `git status --porcelain`.
public enum Change: Sendable, Equatable {
    case added, modified, deleted, renamed, typeChanged, untracked, ignored, conflicted
}

/// One line of `git status --porcelain`.
public struct StatusEntry: Sendable, Equatable {
    /// The path relative to the working directory (untracked or ignored folders end with `/`, like git shows them).
    public let path: String
    /// The path before a staged rename.
    public let originalPath: String?
    /// HEAD → index change (git's X column); `.untracked`, `.ignored` and `.conflicted` appear in both columns, as in git.
    public let indexStatus: Change?
    /// Index → working tree change (git's Y column).
    public let workTreeStatus: Change?

    /// An entry from its parts.
    public init(path: String, originalPath: String?, indexStatus: Change?, workTreeStatus: Change?) {
        self.path = path
        self.originalPath = originalPath
        self.indexStatus = indexStatus
        self.workTreeStatus = workTreeStatus
    }
}

extension Repository {
    /// The changes of working directory and index against HEAD as `git status --porcelain` lists them, limited to `paths` pathspecs if any.
    /// With `eachFile`, untracked and ignored folders are listed file by file (`git status -uall --ignored=matching`).
    public func statusEntries(
        includeUntracked: Bool = true,
        includeIgnored: Bool = false,
        eachFile: Bool = false,
        paths: [String] = []
    ) throws(GitError) -> [StatusEntry] {
        var flags = GIT_STATUS_OPT_RENAMES_HEAD_TO_INDEX.rawValue | GIT_STATUS_OPT_SORT_CASE_SENSITIVELY.rawValue
        if includeUntracked { flags |= GIT_STATUS_OPT_INCLUDE_UNTRACKED.rawValue }
        if includeIgnored { flags |= GIT_STATUS_OPT_INCLUDE_IGNORED.rawValue }
        if eachFile { flags |= GIT_STATUS_OPT_RECURSE_UNTRACKED_DIRS.rawValue | GIT_STATUS_OPT_RECURSE_IGNORED_DIRS.rawValue }
        return try withStringArray(paths) { (pathspec) throws(GitError) in
            var options = git_status_options()
            git_status_options_init(&options, UInt32(GIT_STATUS_OPTIONS_VERSION))
            options.show = GIT_STATUS_SHOW_INDEX_AND_WORKDIR
            options.flags = flags
            options.pathspec = pathspec.pointee
            var list: OpaquePointer?
            try check(git_status_list_new(&list, pointer, &options), "git_status_list_new")
            defer { git_status_list_free(list) }
            return (0..<git_status_list_entrycount(list)).compactMap { index in
                git_status_byindex(list, index).map { StatusEntry($0.pointee) }
            }
        }
    }
}

extension StatusEntry {
    init(_ entry: git_status_entry) {
        let flags = entry.status.rawValue
        func has(_ flag: git_status_t) -> Bool { flags & flag.rawValue != 0 }
        let delta = entry.index_to_workdir ?? entry.head_to_index
        path = String(libgit2: delta?.pointee.new_file.path) ?? String(libgit2: delta?.pointee.old_file.path) ?? ""
        originalPath = has(GIT_STATUS_INDEX_RENAMED) ? String(libgit2: entry.head_to_index?.pointee.old_file.path) : nil

        if has(GIT_STATUS_CONFLICTED) {
            (indexStatus, workTreeStatus) = (.conflicted, .conflicted)
        } else if has(GIT_STATUS_WT_NEW) && entry.head_to_index == nil {
            (indexStatus, workTreeStatus) = (.untracked, .untracked)
        } else if has(GIT_STATUS_IGNORED) {
            (indexStatus, workTreeStatus) = (.ignored, .ignored)
        } else {
            indexStatus = has(GIT_STATUS_INDEX_NEW) ? .added
                : has(GIT_STATUS_INDEX_MODIFIED) ? .modified
                : has(GIT_STATUS_INDEX_DELETED) ? .deleted
                : has(GIT_STATUS_INDEX_RENAMED) ? .renamed
                : has(GIT_STATUS_INDEX_TYPECHANGE) ? .typeChanged
                : nil
            workTreeStatus = has(GIT_STATUS_WT_MODIFIED) ? .modified
                : has(GIT_STATUS_WT_DELETED) ? .deleted
                : has(GIT_STATUS_WT_RENAMED) ? .renamed
                : has(GIT_STATUS_WT_TYPECHANGE) ? .typeChanged
                : has(GIT_STATUS_WT_UNREADABLE) ? .modified
                : nil
        }
    }
}
