import Foundation
#if canImport(Glibc)
import Glibc
#endif
import GitKit

/// One `run` per repository at a time: two would adopt the same windows and start two agents in
/// each. An `flock` held for the whole run, which dies with its process (a killed run leaves
/// nothing to clean up); its file names the pid that holds it.
final class RunLock {
    private let fd: Int32

    init(repository: Repository) throws {
        let folder = repository.commonDirectory + "/spec-dispatch"
        try FileTree.makeDirectory(folder)
        let path = folder + "/run.lock"
        fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw DispatchError.failure("cannot open \(path): \(String(cString: strerror(errno)))") }
        while flock(fd, LOCK_EX | LOCK_NB) != 0 {
            if errno == EINTR { continue }
            let holder = FileTree.contents(path).map { String(decoding: $0, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines) } ?? ""
            close(fd)
            throw DispatchError.refused("another `spec-dispatch run`\(holder.isEmpty ? "" : " (pid \(holder))") is driving this repository",
                                        details: ["hint: `spec-dispatch status` shows what it is doing; stop it with Ctrl-C (or kill \(holder.isEmpty ? "<pid>" : holder)) to start another"])
        }
        _ = ftruncate(fd, 0)
        let pid = "\(getpid())\n"
        _ = pid.withCString { pwrite(fd, $0, strlen($0), 0) }
    }

    deinit {
        _ = ftruncate(fd, 0)
        flock(fd, LOCK_UN)
        close(fd)
    }
}
