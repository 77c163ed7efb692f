import CLibGit2

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Calls `body` with a `git_strarray` holding copies of `strings`, freed when `body` returns.
@discardableResult
func withStringArray<Result>(
    _ strings: [String],
    _ body: (UnsafeMutablePointer<git_strarray>) throws(GitError) -> Result
) throws(GitError) -> Result {
    let items = UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>.allocate(capacity: max(strings.count, 1))
    for (index, element) in strings.enumerated() {
        items[index] = duplicate(element)
    }
    defer {
        for index in 0..<strings.count {
            free(items[index])
        }
        items.deallocate()
    }
    var array = git_strarray(strings: items, count: strings.count)
    return try body(&array)
}

/// The strings of a `git_strarray` libgit2 filled in, which is then disposed of.
func consumeStringArray(_ array: inout git_strarray) -> [String] {
    defer { git_strarray_dispose(&array) }
    var result: [String] = []
    result.reserveCapacity(array.count)
    for index in 0..<array.count {
        if let item = array.strings[index] {
            result.append(String(cString: item))
        }
    }
    return result
}
