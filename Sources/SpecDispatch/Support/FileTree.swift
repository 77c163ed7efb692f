import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The few file-system questions the application asks outside git.
enum FileTree {
    static func folders(in path: String) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        return names.filter { isDirectory("\(path)/\($0)") }.sorted()
    }

    static func isDirectory(_ path: String) -> Bool {
        var directory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &directory) && directory.boolValue
    }

    static func exists(_ path: String) -> Bool { FileManager.default.fileExists(atPath: path) }

    /// Seconds since `path` was last modified; nil when it is not there.
    static func age(_ path: String) -> TimeInterval? {
        guard let modified = (try? FileManager.default.attributesOfItem(atPath: path))?[.modificationDate] as? Date else { return nil }
        return Date().timeIntervalSince(modified)
    }

    /// Something other than a folder is at `path` (a file, or a symbolic link, even a dangling one).
    static func isNonDirectory(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0 && (info.st_mode & S_IFMT) != S_IFDIR
    }

    /// Absolute, symlink-free path (so `/tmp/x` and its real location compare equal).
    static func canonical(_ path: String) -> String {
        URL(fileURLWithPath: path).resolvingSymlinksInPath().standardizedFileURL.path
    }

    static var currentDirectory: String { FileManager.default.currentDirectoryPath }

    static func contents(_ path: String) -> [UInt8]? {
        FileManager.default.contents(atPath: path).map { [UInt8]($0) }
    }

    static var homeDirectory: String { FileManager.default.homeDirectoryForCurrentUser.path }

    static func makeDirectory(_ path: String) throws {
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw DispatchError.failure("cannot create \(path): \(error.localizedDescription)")
        }
    }

    /// Writes through a temporary file in the same folder and renames it over `path`, so
    /// readers see the old content or the new, never a mix.
    static func writeAtomically(_ bytes: [UInt8], to path: String) throws {
        let parent = (path as NSString).deletingLastPathComponent
        let folder = parent.isEmpty ? "." : parent
        try makeDirectory(folder)
        let temporary = "\(folder)/.\((path as NSString).lastPathComponent).\(getpid()).tmp"
        do {
            try Data(bytes).write(to: URL(fileURLWithPath: temporary))
            guard rename(temporary, path) == 0 else {
                throw DispatchError.failure("cannot write \(path): \(String(cString: strerror(errno)))")
            }
        } catch let error as DispatchError {
            unlink(temporary)
            throw error
        } catch {
            unlink(temporary)
            throw DispatchError.failure("cannot write \(path): \(error.localizedDescription)")
        }
    }

    /// Moves a file or folder tree: a rename, or across file systems a copy and then a removal.
    static func move(_ path: String, to destination: String) throws {
        if rename(path, destination) == 0 { return }
        guard errno == EXDEV else {
            throw DispatchError.failure("cannot move \(path) to \(destination): \(String(cString: strerror(errno)))")
        }
        do {
            try FileManager.default.copyItem(atPath: path, toPath: destination)
        } catch {
            throw DispatchError.failure("cannot copy \(path) to \(destination): \(error.localizedDescription)")
        }
        try remove(path)
    }

    /// The suffix of a folder being deleted, moved aside first (`.task-3.removing`).
    static let removingSuffix = ".removing"

    /// Moves a folder tree aside in its own parent (one atomic step), so that deleting it can
    /// never leave half of it where it was: a kill during the deletion leaves `.<name>.removing`,
    /// which `doctor --fix` deletes. Returns where it went; nil when there was nothing.
    static func moveAside(_ path: String) throws -> String? {
        guard exists(path) || isSymbolicLink(path) else { return nil }
        let parent = (path as NSString).deletingLastPathComponent
        let aside = "\(parent)/.\((path as NSString).lastPathComponent)\(removingSuffix)"
        try remove(aside)
        guard rename(path, aside) == 0 else {
            throw DispatchError.failure("cannot move \(path) aside to delete it: \(String(cString: strerror(errno)))")
        }
        return aside
    }

    /// Removes a ref's lock file left by a killed command. A live git command holds such a lock
    /// for milliseconds, so one that is still there a second after it was written is left over.
    static func removeStaleLock(_ path: String) throws {
        if let age = age(path), age < 1 { usleep(UInt32((1 - age) * 1_000_000)) }
        try remove(path)
    }

    /// Removes a file or folder tree; missing is fine.
    static func remove(_ path: String) throws {
        guard exists(path) || isSymbolicLink(path) else { return }
        do {
            try FileManager.default.removeItem(atPath: path)
        } catch {
            throw DispatchError.failure("cannot remove \(path): \(error.localizedDescription)")
        }
    }

    static func isSymbolicLink(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFLNK
    }

    /// True for a missing path or an empty folder: somewhere a window may be created.
    static func isFreeForWindow(_ path: String) -> Bool {
        if isSymbolicLink(path) { return false }
        guard exists(path) else { return true }
        return isDirectory(path) && ((try? FileManager.default.contentsOfDirectory(atPath: path))?.isEmpty ?? false)
    }

    /// Whether the file at `path` holds exactly `bytes`: sizes first, then the mapped file
    /// compared in place (no copy, no zeroed pages). False when it cannot be read.
    static func contentEquals(_ path: String, _ bytes: [UInt8]) -> Bool {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, Int(info.st_size) == bytes.count else { return false }
        guard !bytes.isEmpty else { return true }
        guard let mapped = mmap(nil, bytes.count, PROT_READ, MAP_PRIVATE, fd, 0), mapped != MAP_FAILED else { return false }
        defer { munmap(mapped, bytes.count) }
        return bytes.withUnsafeBytes { memcmp($0.baseAddress!, mapped, bytes.count) == 0 }
    }

    /// The ancestors of `path` that do not exist yet, outermost first.
    static func missingAncestors(of path: String) -> [String] {
        var missing: [String] = []
        var current = (path as NSString).deletingLastPathComponent
        while current != "/", !current.isEmpty, !exists(current) {
            missing.insert(current, at: 0)
            current = (current as NSString).deletingLastPathComponent
        }
        return missing
    }

    static func removeIfEmpty(_ folder: String) {
        rmdir(folder)
    }
}
