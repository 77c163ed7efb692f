import CLibGit2

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An open git repository (a `git_repository *`, freed with the object); not thread-safe, so use one per thread.
public final class Repository {
    /// The libgit2 handle; never escapes GitKit.
    let pointer: OpaquePointer

    /// Takes ownership of an open libgit2 repository.
    init(owning pointer: OpaquePointer) {
        self.pointer = pointer
    }

    deinit {
        git_repository_free(pointer)
    }

    /// Opens the repository containing `path` (a folder in a working tree or a linked worktree, or a git dir), searching upward.
    public static func discover(from path: String) throws(GitError) -> Repository {
        ensureLibgit2()
        var repository: OpaquePointer?
        let result = git_repository_open_ext(&repository, path, GIT_REPOSITORY_OPEN_CROSS_FS.rawValue, nil)
        if isCode(result, GIT_ENOTFOUND) {
            forgetError()
            throw GitError(
                code: .notFound,
                errorClass: Int32(GIT_ERROR_REPOSITORY.rawValue),
                message: "'\(path)' is not inside a git repository (searched it and every parent folder)",
                operation: "git_repository_open_ext"
            )
        }
        try check(result, "git_repository_open_ext", path)
        return Repository(owning: repository!)
    }

    /// Opens the repository the way git's environment describes it (`GIT_DIR`, `GIT_WORK_TREE`,
    /// `GIT_INDEX_FILE`, …), else by searching up from the current folder. Inside a hook this is
    /// the repository and the index git is working with (a temporary one during `git commit -a`).
    public static func openFromEnvironment() throws(GitError) -> Repository {
        ensureLibgit2()
        var repository: OpaquePointer?
        let result = git_repository_open_ext(&repository, nil, GIT_REPOSITORY_OPEN_FROM_ENV.rawValue, nil)
        if isCode(result, GIT_ENOTFOUND) {
            forgetError()
            throw GitError(code: .notFound, errorClass: Int32(GIT_ERROR_REPOSITORY.rawValue),
                           message: "not inside a git repository", operation: "git_repository_open_ext")
        }
        try check(result, "git_repository_open_ext")
        return Repository(owning: repository!)
    }

    /// Opens the repository at exactly `path` (its working directory or its git dir), without searching.
    public static func open(at path: String) throws(GitError) -> Repository {
        ensureLibgit2()
        var repository: OpaquePointer?
        try check(git_repository_open_ext(&repository, path, GIT_REPOSITORY_OPEN_NO_SEARCH.rawValue, nil), "git_repository_open_ext", path)
        return Repository(owning: repository!)
    }

    /// Creates a new repository at `path` (folders made as needed) whose unborn HEAD is `initialBranch`; fails if one exists.
    public static func create(at path: String, bare: Bool = false, initialBranch: String = "main") throws(GitError) -> Repository {
        ensureLibgit2()
        var options = git_repository_init_options()
        git_repository_init_options_init(&options, UInt32(GIT_REPOSITORY_INIT_OPTIONS_VERSION))
        options.flags = GIT_REPOSITORY_INIT_MKPATH.rawValue | GIT_REPOSITORY_INIT_NO_REINIT.rawValue
        if bare {
            options.flags |= GIT_REPOSITORY_INIT_BARE.rawValue
        }
        let head = duplicate(initialBranch)
        defer { free(head) }
        options.initial_head = UnsafePointer(head)
        var repository: OpaquePointer?
        try check(git_repository_init_ext(&repository, path, &options), "git_repository_init_ext", path)
        return Repository(owning: repository!)
    }

    /// The absolute working directory without trailing slash; nil for a bare repository.
    public var workingDirectory: String? {
        String(libgit2: git_repository_workdir(pointer)).map(withoutTrailingSlash)
    }

    /// The absolute git dir without trailing slash (`.git`, or `.git/worktrees/<name>` for a linked worktree).
    public var gitDirectory: String {
        withoutTrailingSlash(String(libgit2: git_repository_path(pointer)) ?? "")
    }

    /// The main repository's git dir, shared by all its worktrees.
    public var commonDirectory: String {
        withoutTrailingSlash(String(libgit2: git_repository_commondir(pointer)) ?? "")
    }

    /// True when this repository was opened from a linked worktree (one made by `git worktree add`).
    public var isLinkedWorktree: Bool {
        git_repository_is_worktree(pointer) == 1
    }

    /// The repository at the common dir (the main worktree's), opened on demand; self when this one is not linked.
    func mainRepository() throws(GitError) -> Repository {
        guard isLinkedWorktree else { return self }
        var repository: OpaquePointer?
        try check(git_repository_open(&repository, commonDirectory), "git_repository_open", commonDirectory)
        return Repository(owning: repository!)
    }
}
