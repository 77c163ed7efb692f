import CLibGit2

// libgit2 1.5 loads a filter list for every file it checks out, and each attribute lookup on the way
// realpath()s the file's folder: ~18 readlink calls per file, 41% of a 20,000-file worktree checkout
// (measured in Benchmarks/next.sh). The only filters libgit2 runs are its own `crlf` and `ident`, and
// neither can act on a file unless an attribute asks for it or core.autocrlf is on. When no attribute
// source exists and autocrlf is off, checking out without filters writes the same bytes, sooner.

extension Repository {
    /// True unless it is certain that no checkout filter can change a file of `tree`: no `.gitattributes`
    /// in it, no `info/attributes`, no global or system attributes file, and core.autocrlf not true.
    func checkoutFiltersMayApply(to tree: OpaquePointer) throws(GitError) -> Bool {
        let config = try configSnapshot()
        if let autocrlf = try config.string("core.autocrlf")?.lowercased(), !["false", "no", "off", "0", "input"].contains(autocrlf) {
            return true
        }
        let attributeFiles = [commonDirectory + "/info/attributes", try globalAttributesFile(config)].compactMap { $0 }
            + searchPath(level: GIT_CONFIG_LEVEL_SYSTEM).map { $0 + "/gitattributes" }
        if attributeFiles.contains(where: { FileSystem.kind(of: $0) != .absent }) { return true }
        return try containsAttributesFile(tree)
    }

    /// `core.attributesFile`, else the XDG one libgit2 falls back to (`$XDG_CONFIG_HOME/git/attributes`).
    private func globalAttributesFile(_ config: Config) throws(GitError) -> String? {
        var path = git_buf()
        defer { git_buf_dispose(&path) }
        let result = git_config_get_path(&path, config.pointer, "core.attributesfile")
        if isCode(result, GIT_ENOTFOUND) {
            forgetError()
            return searchPath(level: GIT_CONFIG_LEVEL_XDG).first.map { $0 + "/attributes" }
        }
        try check(result, "git_config_get_path", "core.attributesFile")
        return String(libgit2: path.ptr)
    }

    private func searchPath(level: git_config_level_t) -> [String] {
        var list = git_buf()
        defer { git_buf_dispose(&list) }
        guard clibgit2_search_path(level.rawValue, &list) == 0, let joined = String(libgit2: list.ptr) else {
            forgetError()
            return []
        }
        return joined.split(separator: ":").map(String.init)
    }

    /// True when `tree` or any tree below it has an entry named `.gitattributes`.
    private func containsAttributesFile(_ tree: OpaquePointer) throws(GitError) -> Bool {
        if git_tree_entry_byname(tree, ".gitattributes") != nil { return true }
        for index in 0..<git_tree_entrycount(tree) {
            guard let entry = git_tree_entry_byindex(tree, index), git_tree_entry_type(entry) == GIT_OBJECT_TREE else { continue }
            var subtree: OpaquePointer?
            try check(git_tree_lookup(&subtree, pointer, git_tree_entry_id(entry)), "git_tree_lookup")
            defer { git_tree_free(subtree) }
            if try containsAttributesFile(subtree!) { return true }
        }
        return false
    }
}
