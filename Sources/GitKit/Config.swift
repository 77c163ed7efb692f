import CLibGit2

/// A git configuration (a `git_config *`): live, a read-only snapshot, or one level of it.
public final class Config {
    /// The libgit2 handle; never escapes GitKit.
    let pointer: OpaquePointer

    /// Takes ownership of a libgit2 configuration.
    init(owning pointer: OpaquePointer) {
        self.pointer = pointer
    }

    deinit {
        git_config_free(pointer)
    }

    /// The value of `key` (e.g. `user.name`) from the level with the highest priority; nil when unset.
    public func string(_ key: String) throws(GitError) -> String? {
        var entry: UnsafeMutablePointer<git_config_entry>?
        let result = git_config_get_entry(&entry, pointer, key)
        if isCode(result, GIT_ENOTFOUND) {
            forgetError()
            return nil
        }
        try check(result, "git_config_get_entry", key)
        defer { git_config_entry_free(entry) }
        return String(libgit2: entry?.pointee.value) ?? ""
    }

    /// The integer value of `key` (git's `k`, `m`, `g` suffixes allowed); nil when unset, an error when not a number.
    public func int(_ key: String) throws(GitError) -> Int? {
        var value: Int64 = 0
        let result = git_config_get_int64(&value, pointer, key)
        if isCode(result, GIT_ENOTFOUND) {
            forgetError()
            return nil
        }
        try check(result, "git_config_get_int64", key)
        return Int(value)
    }

    /// The boolean value of `key` (true/yes/on/1, false/no/off/0, no value means true); nil when unset.
    public func bool(_ key: String) throws(GitError) -> Bool? {
        var value: Int32 = 0
        let result = git_config_get_bool(&value, pointer, key)
        if isCode(result, GIT_ENOTFOUND) {
            forgetError()
            return nil
        }
        try check(result, "git_config_get_bool", key)
        return value != 0
    }

    /// Every value of the multivar `key`, from every level, in the order `git config --get-all` prints them.
    public func strings(_ key: String) throws(GitError) -> [String] {
        var iterator: OpaquePointer?
        let result = git_config_multivar_iterator_new(&iterator, pointer, key, nil)
        if isCode(result, GIT_ENOTFOUND) {
            forgetError()
            return []
        }
        try check(result, "git_config_multivar_iterator_new", key)
        defer { git_config_iterator_free(iterator) }
        return try collect(iterator, key).map(\.value)
    }

    /// The entries whose name matches the regular expression `regex`, lowest-priority level first (git's order).
    public func entries(matching regex: String) throws(GitError) -> [(name: String, value: String)] {
        var iterator: OpaquePointer?
        try check(git_config_iterator_glob_new(&iterator, pointer, regex), "git_config_iterator_glob_new", regex)
        defer { git_config_iterator_free(iterator) }
        return try collect(iterator, regex)
    }

    /// Sets `key` to a string, in the level with the highest priority (the repository's own for `localConfig()`).
    public func set(_ key: String, _ value: String) throws(GitError) {
        try check(git_config_set_string(pointer, key, value), "git_config_set_string", key)
    }

    /// Sets `key` to a boolean.
    public func set(_ key: String, _ value: Bool) throws(GitError) {
        try check(git_config_set_bool(pointer, key, value ? 1 : 0), "git_config_set_bool", key)
    }

    /// Removes `key`; nothing happens when it is not set.
    public func unset(_ key: String) throws(GitError) {
        let result = git_config_delete_entry(pointer, key)
        if isCode(result, GIT_ENOTFOUND) {
            forgetError()
            return
        }
        try check(result, "git_config_delete_entry", key)
    }

    /// Adds one more value to the multivar `key`, keeping the existing ones.
    public func add(_ key: String, _ value: String) throws(GitError) {
        // set_multivar replaces the values matching the pattern and appends when none does; "a^" matches nothing.
        try check(git_config_set_multivar(pointer, key, "a^", value), "git_config_set_multivar", key)
    }

    private func collect(_ iterator: OpaquePointer?, _ subject: String) throws(GitError) -> [(name: String, value: String)] {
        var found: [(level: Int32, name: String, value: String)] = []
        var entry: UnsafeMutablePointer<git_config_entry>?
        while true {
            let result = git_config_next(&entry, iterator)
            if isCode(result, GIT_ITEROVER) {
                forgetError()
                break
            }
            try check(result, "git_config_next", subject)
            guard let entry else { continue }
            found.append((entry.pointee.level.rawValue, String(libgit2: entry.pointee.name) ?? "", String(libgit2: entry.pointee.value) ?? ""))
        }
        // libgit2 walks the levels highest priority first; git prints system, global, then local.
        return found.enumerated()
            .sorted { ($0.element.level, $0.offset) < ($1.element.level, $1.offset) }
            .map { (name: $0.element.name, value: $0.element.value) }
    }
}

extension Repository {
    /// The live configuration, all levels merged (writes go to the repository's own config).
    public func config() throws(GitError) -> Config {
        var config: OpaquePointer?
        try check(git_repository_config(&config, pointer), "git_repository_config")
        return Config(owning: config!)
    }

    /// A read-only snapshot of the configuration, all levels merged.
    public func configSnapshot() throws(GitError) -> Config {
        var config: OpaquePointer?
        try check(git_repository_config_snapshot(&config, pointer), "git_repository_config_snapshot")
        return Config(owning: config!)
    }

    /// The repository's own configuration file only (`config` in the common dir, shared by all worktrees).
    public func localConfig() throws(GitError) -> Config {
        let all = try config()
        var local: OpaquePointer?
        try check(git_config_open_level(&local, all.pointer, GIT_CONFIG_LEVEL_LOCAL), "git_config_open_level", "local")
        return Config(owning: local!)
    }
}
