import CLibGit2

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The few POSIX file operations GitKit needs around libgit2 (no Foundation on the hot path).
enum FileSystem {
    /// What is at a path, without following a final symbolic link.
    enum Kind { case absent, directory, other }

    /// The kind of `path`.
    static func kind(of path: String) -> Kind {
        var info = stat()
        guard lstat(path, &info) == 0 else { return .absent }
        return (info.st_mode & S_IFMT) == S_IFDIR ? .directory : .other
    }

    /// The bytes of the file at `path`; nil when it cannot be read.
    static func contents(of path: String) -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count == 0 { return bytes }
            if count < 0 {
                if errno == EINTR { continue }
                return nil
            }
            bytes += chunk[0..<count]
        }
    }

    /// True when `path` is a directory holding nothing.
    static func isEmptyDirectory(_ path: String) -> Bool {
        guard let directory = opendir(path) else { return false }
        defer { closedir(directory) }
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            if name != "." && name != ".." { return false }
        }
        return true
    }

    /// The names of the folders directly inside `path` (none when it is missing).
    static func folderNames(in path: String) -> [String] {
        guard let directory = opendir(path) else { return [] }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            if name != "." && name != "..", kind(of: path + "/" + name) == .directory { names.append(name) }
        }
        return names
    }

    /// Removes `path` and everything in it, without following symbolic links (`rm -rf`).
    static func removeTree(_ path: String, operation: String) throws(GitError) {
        switch kind(of: path) {
        case .absent:
            return
        case .other:
            if unlink(path) != 0 && errno != ENOENT { throw posixError(operation, path: path) }
        case .directory:
            guard let directory = opendir(path) else { throw posixError(operation, path: path) }
            var names: [String] = []
            while let entry = readdir(directory) {
                let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
                if name != "." && name != ".." { names.append(name) }
            }
            closedir(directory)
            for name in names { try removeTree(path + "/" + name, operation: operation) }
            if rmdir(path) != 0 && errno != ENOENT { throw posixError(operation, path: path) }
        }
    }

    /// Creates `path` and its missing parents (`mkdir -p`).
    static func makeDirectories(_ path: String, operation: String) throws(GitError) {
        if kind(of: path) == .directory { return }
        var prefix = path.hasPrefix("/") ? "" : "."
        for component in path.split(separator: "/") {
            prefix += "/" + component
            if mkdir(prefix, 0o755) != 0 && errno != EEXIST {
                throw posixError(operation, path: prefix)
            }
        }
    }

    /// Removes `path` when it is an empty directory; false when it is not.
    static func removeEmptyDirectory(_ path: String) -> Bool {
        rmdir(path) == 0
    }

    /// The absolute form of a path whose parent exists (symbolic links resolved, like libgit2 does).
    static func absolutePath(_ path: String) -> String {
        if let resolved = realpath(path, nil) {
            defer { free(resolved) }
            return String(cString: resolved)
        }
        let slash = path.lastIndex(of: "/")
        let parent = slash.map { String(path[..<$0]) } ?? "."
        let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
        guard let resolvedParent = realpath(parent.isEmpty ? "/" : parent, nil) else { return path }
        defer { free(resolvedParent) }
        let base = String(cString: resolvedParent)
        return base == "/" ? "/" + name : base + "/" + name
    }

    /// The bytes of the file at `path`; nil when nothing is there.
    static func readFile(_ path: String, operation: String) throws(GitError) -> [UInt8]? {
        var descriptor: Int32
        repeat { descriptor = open(path, O_RDONLY | O_CLOEXEC) } while descriptor < 0 && errno == EINTR
        if descriptor < 0 {
            if errno == ENOENT || errno == ENOTDIR { return nil }
            throw posixError(operation, path: path)
        }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { throw posixError(operation, path: path) }
        if (info.st_mode & S_IFMT) == S_IFDIR {
            throw GitError(
                code: .directory, errorClass: Int32(GIT_ERROR_OS.rawValue), message: "'\(path)' is a directory", operation: operation
            )
        }
        var bytes = [UInt8](repeating: 0, count: max(Int(info.st_size), 0) + 1)
        var filled = 0
        while true {
            if filled == bytes.count {
                bytes.append(contentsOf: repeatElement(0, count: max(bytes.count, 4096)))
            }
            let count = bytes.withUnsafeMutableBytes { buffer in
                read(descriptor, buffer.baseAddress! + filled, buffer.count - filled)
            }
            if count < 0 {
                if errno == EINTR { continue }
                throw posixError(operation, path: path)
            }
            if count == 0 { break }
            filled += count
        }
        bytes.removeSubrange(filled...)
        return bytes
    }

    /// A `GitError` for the POSIX call that just failed, carrying `strerror(errno)`.
    static func posixError(_ operation: String, path: String) -> GitError {
        let number = errno
        return GitError(
            code: .other(GIT_ERROR.rawValue),
            errorClass: Int32(GIT_ERROR_OS.rawValue),
            message: "\(String(cString: strerror(number))) (\(path))",
            operation: operation
        )
    }
}
