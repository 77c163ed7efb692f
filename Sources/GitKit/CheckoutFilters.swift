import CLibGit2

// libgit2 1.5 loads a filter list for every file it checks out, and each attribute lookup on the way
// realpath()s the file's folder: ~18 readlink calls per file, 41% of a 20,000-file worktree checkout
// (measured in Benchmarks/next.sh). The only filters libgit2 runs are its own `crlf` and `ident`, and
// neither can act on a file unless an attribute asks for it or core.autocrlf is on. When no attribute
// file names a filtering attribute and autocrlf is off, checking out without filters writes the
// same bytes, sooner. (`spec-dispatch init` itself writes a `merge=` line to info/attributes.)

extension Repository {
    /// True unless it is certain that no checkout filter can change a file of `tree`: core.autocrlf
    /// not true, and no attribute file (`.gitattributes` in the tree, `info/attributes`, the global
    /// and the system one) that names a filtering attribute or defines a macro.
    func checkoutFiltersMayApply(to tree: OpaquePointer) throws(GitError) -> Bool {
        let config = try configSnapshot()
        if let autocrlf = try config.string("core.autocrlf")?.lowercased(), !["false", "no", "off", "0", "input"].contains(autocrlf) {
            return true
        }
        let attributeFiles = [commonDirectory + "/info/attributes", try globalAttributesFile(config)].compactMap { $0 }
            + searchPath(level: GIT_CONFIG_LEVEL_SYSTEM).map { $0 + "/gitattributes" }
        for file in attributeFiles where FileSystem.kind(of: file) != .absent {
            guard let bytes = FileSystem.contents(of: file) else { return true }
            if AttributeLines.mayAskForFilter(bytes) { return true }
        }
        return try attributesFilesAskForFilter(tree)
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

    /// True when a `.gitattributes` in `tree` or any tree below it may ask for a filter (one that
    /// is not a file, say a symbolic link, counts as asking).
    private func attributesFilesAskForFilter(_ tree: OpaquePointer) throws(GitError) -> Bool {
        if let entry = git_tree_entry_byname(tree, ".gitattributes") {
            guard git_tree_entry_type(entry) == GIT_OBJECT_BLOB, git_tree_entry_filemode(entry) != GIT_FILEMODE_LINK else { return true }
            if AttributeLines.mayAskForFilter(try blob(ObjectID(git_tree_entry_id(entry)))) { return true }
        }
        for index in 0..<git_tree_entrycount(tree) {
            guard let entry = git_tree_entry_byindex(tree, index), git_tree_entry_type(entry) == GIT_OBJECT_TREE else { continue }
            var subtree: OpaquePointer?
            try check(git_tree_lookup(&subtree, pointer, git_tree_entry_id(entry)), "git_tree_lookup")
            defer { git_tree_free(subtree) }
            if try attributesFilesAskForFilter(subtree!) { return true }
        }
        return false
    }
}

/// The lines of a gitattributes file, read only as far as telling whether one can make a
/// checkout filter act (git's syntax: a pattern, possibly quoted, then attributes).
enum AttributeLines {
    /// Attributes that turn on libgit2's `crlf` or `ident` filter, or a filter driver.
    static let filtering: Set<String> = ["text", "eol", "crlf", "ident", "filter", "working-tree-encoding"]

    /// True when a line sets, unsets or resets a filtering attribute, or defines a macro (which
    /// may stand for one); a file that is not UTF-8 counts as asking.
    static func mayAskForFilter(_ bytes: [UInt8]) -> Bool {
        guard let text = String(validating: bytes, as: UTF8.self) else { return true }
        for line in text.split(whereSeparator: \.isNewline) {
            let trimmed = line.drop { $0 == " " || $0 == "\t" }
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            if trimmed.hasPrefix("[attr]") { return true }
            let attributes: Substring
            if trimmed.hasPrefix("\"") {
                guard let close = trimmed.dropFirst().firstIndex(of: "\"") else { return true }
                attributes = trimmed[trimmed.index(after: close)...]
            } else {
                attributes = trimmed.drop { $0 != " " && $0 != "\t" }
            }
            for token in attributes.split(whereSeparator: { $0 == " " || $0 == "\t" }) {
                let name = token.drop { $0 == "-" || $0 == "!" }.prefix { $0 != "=" }
                if filtering.contains(String(name)) { return true }
            }
        }
        return false
    }
}
