import CLibGit2

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The one call to `git_libgit2_init()` of the process: Swift runs a global's initialiser lazily and exactly once.
/// Object reads are not re-hashed (as in git outside fsck): on a 2 MB tasks.md that check costs 4 ms.
private let libgit2Initialization: Int32 = {
    let result = git_libgit2_init()
    _ = clibgit2_set_strict_hash_verification(0)
    return result
}()

/// Makes sure libgit2 is initialised; every entry point that does not go through a `Repository` calls it first.
@inline(__always)
func ensureLibgit2() {
    _ = libgit2Initialization
}

/// Throws the `GitError` describing `result` when it is a libgit2 failure (negative); returns it otherwise.
@discardableResult
func check(_ result: Int32, _ operation: String, _ subject: String? = nil) throws(GitError) -> Int32 {
    if result < 0 {
        throw GitError(result: result, operation: operation, subject: subject)
    }
    return result
}

/// True when `result` is the given libgit2 error code.
@inline(__always)
func isCode(_ result: Int32, _ code: git_error_code) -> Bool {
    result == code.rawValue
}

/// Forgets the error libgit2 recorded for a failure the caller handled (it stays in thread-local state otherwise).
@inline(__always)
func forgetError() {
    git_error_clear()
}

extension String {
    /// A libgit2 `const char *` as a Swift string; nil for a null pointer.
    init?(libgit2 pointer: UnsafePointer<CChar>?) {
        guard let pointer else { return nil }
        self.init(cString: pointer)
    }

    /// A libgit2 `char *` as a Swift string; nil for a null pointer.
    init?(libgit2 pointer: UnsafeMutablePointer<CChar>?) {
        self.init(libgit2: UnsafePointer(pointer))
    }
}

/// A path libgit2 reported with a trailing slash, without it.
func withoutTrailingSlash(_ path: String) -> String {
    var path = path
    while path.count > 1, path.hasSuffix("/") {
        path.removeLast()
    }
    return path
}

/// A C copy of `text` that lives until the returned value is released with `free`.
func duplicate(_ text: String) -> UnsafeMutablePointer<CChar> {
    guard let copy = strdup(text) else {
        fatalError("out of memory duplicating a string for libgit2")
    }
    return copy
}
