import CLibGit2

/// A linked worktree as the main repository records it (`<commonDir>/worktrees/<name>`).
public struct WorktreeInfo: Sendable, Equatable {
    /// The name of its admin folder under `<commonDir>/worktrees`.
    public let name: String
    /// Its working directory.
    public let path: String
    /// True when both the admin folder and the working directory are present (`git_worktree_validate`).
    public let isValid: Bool
    /// True when locked against pruning.
    public let isLocked: Bool
    /// Why it is locked, when a reason was given.
    public let lockReason: String?
    /// True when `git worktree prune` would remove it (invalid and not locked).
    public let isPrunable: Bool
    /// The branch checked out there (`refs/heads/x`); nil when detached or unreadable.
    public let headReference: String?

    /// A description from its parts.
    public init(name: String, path: String, isValid: Bool, isLocked: Bool, lockReason: String?, isPrunable: Bool, headReference: String?) {
        self.name = name
        self.path = path
        self.isValid = isValid
        self.isLocked = isLocked
        self.lockReason = lockReason
        self.isPrunable = isPrunable
        self.headReference = headReference
    }
}

extension Repository {
    /// The linked worktrees of this repository (not the main one), sorted by name.
    public func worktrees() throws(GitError) -> [WorktreeInfo] {
        var result: [WorktreeInfo] = []
        try forEachWorktree { (_, worktree) throws(GitError) in result.append(try info(of: worktree)) }
        return result
    }

    /// Calls `body` with each linked worktree libgit2 can look up, by name; the handle is freed after.
    private func forEachWorktree(_ body: (String, OpaquePointer?) throws(GitError) -> Void) throws(GitError) {
        var names = git_strarray()
        try check(git_worktree_list(&names, pointer), "git_worktree_list")
        for name in consumeStringArray(&names).sorted() {
            var worktree: OpaquePointer?
            guard git_worktree_lookup(&worktree, pointer, name) == 0 else {
                forgetError()
                continue
            }
            defer { git_worktree_free(worktree) }
            try body(name, worktree)
        }
    }

    /// Creates the linked worktree `name` at `path` (absent, or an empty folder; parents are created) with `branch` checked out.
    /// `locked` locks it as it is created (before its checkout), so an interrupted creation is recognisable.
    public func addWorktree(name: String, path: String, branch referenceName: String, locked: Bool = false) throws(GitError) -> WorktreeInfo {
        let operation = "git_worktree_add"
        // libgit2 nests the admin folder for names with '/', which git does not read, and cannot create it anyway.
        guard !name.isEmpty, name != ".", name != "..", !name.contains("/"), !name.contains("\\") else {
            throw GitError(code: .invalidSpec, errorClass: Int32(GIT_ERROR_WORKTREE.rawValue),
                           message: "'\(name)' is not a valid worktree name (one path component, no '/')", operation: operation)
        }
        var branch: OpaquePointer?
        try check(git_reference_lookup(&branch, pointer, referenceName), "git_reference_lookup", referenceName)
        defer { git_reference_free(branch) }
        guard git_reference_is_branch(branch) == 1 else {
            throw GitError(code: .invalidSpec, errorClass: Int32(GIT_ERROR_WORKTREE.rawValue),
                           message: "'\(referenceName)' is not a branch (refs/heads/...)", operation: operation)
        }
        if try check(git_branch_is_checked_out(branch), "git_branch_is_checked_out", referenceName) == 1 {
            throw GitError(code: .exists, errorClass: Int32(GIT_ERROR_WORKTREE.rawValue),
                           message: "branch '\(referenceName)' is already checked out in a worktree", operation: operation)
        }
        if FileSystem.kind(of: commonDirectory + "/worktrees/" + name) != .absent {
            throw GitError(code: .exists, errorClass: Int32(GIT_ERROR_WORKTREE.rawValue),
                           message: "a worktree named '\(name)' already exists", operation: operation)
        }
        // libgit2 1.5 creates the admin folder before the working directory and leaves it behind when the latter
        // fails, which it does for a missing parent or an existing (even empty) folder: prepare both first.
        let absolute = FileSystem.absolutePath(withoutTrailingSlash(path))
        switch FileSystem.kind(of: absolute) {
        case .absent:
            break
        case .directory where FileSystem.isEmptyDirectory(absolute) && FileSystem.removeEmptyDirectory(absolute):
            break
        default:
            throw GitError(code: .exists, errorClass: Int32(GIT_ERROR_WORKTREE.rawValue),
                           message: "'\(absolute)' already exists and is not an empty folder", operation: operation)
        }
        if let slash = absolute.lastIndex(of: "/"), slash != absolute.startIndex {
            try FileSystem.makeDirectories(String(absolute[..<slash]), operation: operation)
        }
        // libgit2 makes `<commonDir>/worktrees` with an exclusive mkdir after testing that it is absent,
        // so of two processes adding the repository's first worktrees at once, one fails: make it first.
        try FileSystem.makeDirectories(commonDirectory + "/worktrees", operation: operation)

        var options = git_worktree_add_options()
        git_worktree_add_options_init(&options, UInt32(GIT_WORKTREE_ADD_OPTIONS_VERSION))
        options.ref = branch
        options.lock = locked ? 1 : 0
        var tree: OpaquePointer?
        try check(git_reference_peel(&tree, branch, GIT_OBJECT_TREE), "git_reference_peel", referenceName)
        defer { git_object_free(tree) }
        options.checkout_options.disable_filters = try checkoutFiltersMayApply(to: tree!) ? 0 : 1
        var worktree: OpaquePointer?
        let result = git_worktree_add(&worktree, pointer, name, absolute, &options)
        if result < 0 {
            let error = GitError(result: result, operation: operation, subject: name)
            discardHalfMadeWorktree(name: name, path: absolute)
            throw error
        }
        defer { git_worktree_free(worktree) }
        return try info(of: worktree)
    }

    /// Admin folders under `<commonDir>/worktrees` that are no worktree yet: `git_worktree_add` was
    /// killed before it wrote `commondir`, `gitdir` and `HEAD`, so libgit2 neither lists nor looks
    /// them up, yet a new worktree cannot take their name (and git may list one whose HEAD is missing).
    public func unfinishedWorktreeNames() throws(GitError) -> [String] {
        // libgit2's own test (is_worktree_dir); git_worktree_list cannot be asked, as it skips the
        // entry after each one it drops and so may list an unfinished one.
        let folder = commonDirectory + "/worktrees"
        return FileSystem.folderNames(in: folder).filter { name in
            ["commondir", "gitdir", "HEAD"].contains { FileSystem.kind(of: "\(folder)/\(name)/\($0)") != .other }
        }.sorted()
    }

    /// Deletes the admin folder of the unfinished worktree `name` (see `unfinishedWorktreeNames`);
    /// `.notFound` when there is none, so a finished worktree is never touched.
    public func removeUnfinishedWorktree(name: String) throws(GitError) {
        guard try unfinishedWorktreeNames().contains(name) else {
            throw GitError(code: .notFound, errorClass: Int32(GIT_ERROR_WORKTREE.rawValue),
                           message: "no unfinished worktree named '\(name)'", operation: "removeUnfinishedWorktree")
        }
        try FileSystem.removeTree(commonDirectory + "/worktrees/" + name, operation: "removeUnfinishedWorktree")
    }

    /// Removes worktree `name`'s admin entry, and its folder (local changes included) when asked; `.locked` if locked, unless `force`.
    public func removeWorktree(name: String, deleteWorkingTree: Bool, force: Bool = false) throws(GitError) {
        let worktree = try lookupWorktree(name)
        defer { git_worktree_free(worktree) }
        if !force, try lockState(of: worktree, name: name).isLocked {
            throw GitError(code: .locked, errorClass: Int32(GIT_ERROR_WORKTREE.rawValue),
                           message: "worktree '\(name)' is locked", operation: "git_worktree_prune")
        }
        var flags = GIT_WORKTREE_PRUNE_VALID.rawValue
        if deleteWorkingTree { flags |= GIT_WORKTREE_PRUNE_WORKING_TREE.rawValue }
        if force { flags |= GIT_WORKTREE_PRUNE_LOCKED.rawValue }
        try prune(worktree, flags: flags, name: name)
    }

    /// Prunes the admin entries of worktrees whose folder is gone (unless locked); returns their names.
    public func pruneStaleWorktrees() throws(GitError) -> [String] {
        var pruned: [String] = []
        try forEachWorktree { (name, worktree) throws(GitError) in
            var options = pruneOptions(flags: 0)
            let prunable = git_worktree_is_prunable(worktree, &options)
            forgetError()
            if prunable == 1 {
                try prune(worktree, flags: 0, name: name)
                pruned.append(name)
            }
        }
        return pruned
    }

    /// Unlocks the linked worktree `name` (nothing happens when it is not locked).
    public func unlockWorktree(name: String) throws(GitError) {
        let worktree = try lookupWorktree(name)
        defer { git_worktree_free(worktree) }
        try check(git_worktree_unlock(worktree), "git_worktree_unlock", name)
    }

    private func lookupWorktree(_ name: String) throws(GitError) -> OpaquePointer? {
        var worktree: OpaquePointer?
        let result = git_worktree_lookup(&worktree, pointer, name)
        // libgit2 1.5 answers a plain -1 (not GIT_ENOTFOUND) for an unknown worktree.
        if result < 0, FileSystem.kind(of: commonDirectory + "/worktrees/" + name) == .absent {
            forgetError()
            throw GitError(code: .notFound, errorClass: Int32(GIT_ERROR_WORKTREE.rawValue),
                           message: "no worktree named '\(name)'", operation: "git_worktree_lookup")
        }
        try check(result, "git_worktree_lookup", name)
        return worktree
    }

    private func pruneOptions(flags: UInt32) -> git_worktree_prune_options {
        var options = git_worktree_prune_options()
        git_worktree_prune_options_init(&options, UInt32(GIT_WORKTREE_PRUNE_OPTIONS_VERSION))
        options.flags = flags
        return options
    }

    private func prune(_ worktree: OpaquePointer?, flags: UInt32, name: String) throws(GitError) {
        var options = pruneOptions(flags: flags)
        try check(git_worktree_prune(worktree, &options), "git_worktree_prune", name)
    }

    /// Removes what a failed `git_worktree_add` left behind, if that entry is ours (it points at `path`).
    private func discardHalfMadeWorktree(name: String, path: String) {
        var worktree: OpaquePointer?
        guard git_worktree_lookup(&worktree, pointer, name) == 0 else {
            forgetError()
            return
        }
        defer { git_worktree_free(worktree) }
        guard String(libgit2: git_worktree_path(worktree)).map(withoutTrailingSlash) == path else { return }
        var options = pruneOptions(flags: GIT_WORKTREE_PRUNE_VALID.rawValue | GIT_WORKTREE_PRUNE_LOCKED.rawValue
            | GIT_WORKTREE_PRUNE_WORKING_TREE.rawValue)
        _ = git_worktree_prune(worktree, &options)
        forgetError()
    }

    private func info(of worktree: OpaquePointer?) throws(GitError) -> WorktreeInfo {
        let name = String(libgit2: git_worktree_name(worktree)) ?? ""
        let isValid = git_worktree_validate(worktree) == 0
        forgetError()
        let lock = try lockState(of: worktree, name: name)
        var options = pruneOptions(flags: 0)
        let isPrunable = git_worktree_is_prunable(worktree, &options) == 1
        forgetError()
        var headReference: String?
        var repository: OpaquePointer?
        if isValid, git_repository_open_from_worktree(&repository, worktree) == 0 {
            defer { git_repository_free(repository) }
            var head: OpaquePointer?
            if git_reference_lookup(&head, repository, "HEAD") == 0 {
                defer { git_reference_free(head) }
                headReference = String(libgit2: git_reference_symbolic_target(head))
            }
        }
        forgetError()
        return WorktreeInfo(
            name: name,
            path: withoutTrailingSlash(String(libgit2: git_worktree_path(worktree)) ?? ""),
            isValid: isValid,
            isLocked: lock.isLocked,
            lockReason: lock.reason,
            isPrunable: isPrunable,
            headReference: headReference
        )
    }

    /// Whether `worktree` is locked, and why. libgit2 tests that its `locked` file exists, then
    /// reads it: a lock removed in between, by another process unlocking, is an error there and
    /// simply no lock here.
    private func lockState(of worktree: OpaquePointer?, name: String) throws(GitError) -> (isLocked: Bool, reason: String?) {
        var reason = git_buf()
        defer { git_buf_dispose(&reason) }
        let result = git_worktree_is_locked(&reason, worktree)
        if result < 0, FileSystem.kind(of: commonDirectory + "/worktrees/" + name + "/locked") == .absent {
            forgetError()
            return (false, nil)
        }
        let isLocked = try check(result, "git_worktree_is_locked", name) > 0
        // `git worktree lock --reason` ends the file with a newline, which is not part of the reason.
        let text = isLocked && reason.size > 0 ? String(libgit2: reason.ptr).map { $0.hasSuffix("\n") ? String($0.dropLast()) : $0 } : nil
        return (isLocked, text.flatMap { $0.isEmpty ? nil : $0 })
    }
}
