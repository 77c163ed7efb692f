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

    /// Absolute, symlink-free path (so `/tmp/x` and its real location compare equal).
    static func canonical(_ path: String) -> String {
        URL(fileURLWithPath: path).resolvingSymlinksInPath().standardizedFileURL.path
    }

    static var currentDirectory: String { FileManager.default.currentDirectoryPath }

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
}
