import CLibGit2

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension Repository {
    /// The object a reference finally points at (symbolic references followed); nil when it does not exist.
    public func referenceTarget(_ name: String) throws(GitError) -> ObjectID? {
        var oid = git_oid()
        let result = git_reference_name_to_id(&oid, pointer, name)
        if isCode(result, GIT_ENOTFOUND) {
            forgetError()
            return nil
        }
        try check(result, "git_reference_name_to_id", name)
        return ObjectID(oid)
    }

    /// The references matching `glob`, whose `*` also crosses `/` (`refs/heads/d/*` lists `refs/heads/d/a/b`), with final targets, by name.
    public func references(matching glob: String) throws(GitError) -> [(name: String, target: ObjectID)] {
        var iterator: OpaquePointer?
        try check(git_reference_iterator_glob_new(&iterator, pointer, glob), "git_reference_iterator_glob_new", glob)
        defer { git_reference_iterator_free(iterator) }
        var result: [(name: String, target: ObjectID)] = []
        while true {
            var reference: OpaquePointer?
            let status = git_reference_next(&reference, iterator)
            if isCode(status, GIT_ITEROVER) {
                forgetError()
                break
            }
            try check(status, "git_reference_next", glob)
            defer { git_reference_free(reference) }
            let name = String(cString: git_reference_name(reference))
            if let target = git_reference_target(reference) {
                result.append((name: name, target: ObjectID(target)))
            } else if let target = try referenceTarget(name) {
                result.append((name: name, target: target))
            }
        }
        return result.sorted { $0.name < $1.name }
    }

    /// Creates `name` pointing at `target` only if no such reference exists: of racing creators exactly one wins, the others get `.exists`.
    public func createReference(_ name: String, target: ObjectID, logMessage: String) throws(GitError) {
        // git_reference_create(force: 0) checks for an existing ref *before* taking the lock, so two racing
        // creators can both succeed; an all-zero expected old value makes libgit2 re-check under the lock.
        var newOID = target.oid
        var absent = ObjectID.zero.oid
        do {
            try retryingTransientFailures { () throws(GitError) in
                var reference: OpaquePointer?
                let result = git_reference_create_matching(&reference, pointer, name, &newOID, 0, &absent, logMessage)
                git_reference_free(reference)
                try check(result, "git_reference_create", name)
            }
        } catch where error.code == .modified {
            throw GitError(
                code: .exists,
                errorClass: error.errorClass,
                message: "reference '\(name)' already exists (created concurrently)",
                operation: "git_reference_create"
            )
        }
    }

    /// Moves `name` from `old` to `new` only if it still points at `old` (compare-and-swap); `.modified` otherwise.
    public func updateReference(_ name: String, to new: ObjectID, expecting old: ObjectID, logMessage: String) throws(GitError) {
        var newOID = new.oid
        var oldOID = old.oid
        do {
            try retryingTransientFailures { () throws(GitError) in
                var reference: OpaquePointer?
                let result = git_reference_create_matching(&reference, pointer, name, &newOID, 1, &oldOID, logMessage)
                git_reference_free(reference)
                try check(result, "git_reference_create_matching", name)
            }
        } catch where error.code == .modified {
            let current = (try? referenceTarget(name)).flatMap { $0 }
            throw GitError(
                code: .modified,
                errorClass: error.errorClass,
                message: "reference '\(name)' points at \(current?.hex ?? "something else"), not the expected \(old.hex)",
                operation: "git_reference_create_matching"
            )
        }
    }

    /// Deletes `name`, only if it still points at `old` when given; `.notFound` when absent, `.modified` when moved.
    public func deleteReference(_ name: String, expecting old: ObjectID?) throws(GitError) {
        try retryingTransientFailures { () throws(GitError) in
            var reference: OpaquePointer?
            try check(git_reference_lookup(&reference, pointer, name), "git_reference_lookup", name)
            defer { git_reference_free(reference) }
            if let old {
                let current = git_reference_target(reference).map(ObjectID.init)
                guard current == old else {
                    throw GitError(
                        code: .modified,
                        errorClass: Int32(GIT_ERROR_REFERENCE.rawValue),
                        message: "reference '\(name)' points at \(current?.hex ?? "a symbolic target"), not the expected \(old.hex)",
                        operation: "git_reference_delete"
                    )
                }
            }
            // libgit2 deletes under the ref's lock only if it still has the value looked up above.
            try check(git_reference_delete(reference), "git_reference_delete", name)
        }
    }

    /// Runs `attempt` again, a bounded number of times, after a failure another process causes
    /// for a moment: a lock file held by another writer (about two seconds at most), or `git
    /// pack-refs` (run by `git gc --auto`, IDEs and GUIs) removing a ref's empty folder between
    /// libgit2's mkdir and its lock file. libgit2 renames the lock file into place as the last
    /// step of a write, so after either failure nothing was written and trying again is safe.
    func retryingTransientFailures(_ attempt: () throws(GitError) -> Void) throws(GitError) {
        var delay: UInt32 = 200
        var folderRaces = 0
        for _ in 0..<30 {
            do {
                return try attempt()
            } catch where error.code == .locked || (Self.isFolderRace(error) && folderRaces < 10) {
                if error.code != .locked { folderRaces += 1 }
                usleep(delay)
                delay = min(delay * 2, 100_000)
            }
        }
        try attempt()
    }

    /// An operating-system failure creating the ref's folder or lock file ("failed to make
    /// directory", "failed to create locked file": ENOENT as the folder vanished); libgit2 reports
    /// those with the OS error class, unlike the ref-level outcomes (`.exists`, `.modified`, …).
    private static func isFolderRace(_ error: GitError) -> Bool {
        error.errorClass == Int32(GIT_ERROR_OS.rawValue) && (error.code == .other(-1) || error.code == .notFound)
    }
}
