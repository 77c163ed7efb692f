#if canImport(Glibc)
import Glibc
#endif
import Foundation
import GitKit
import SpecDispatchCore

/// An exclusive `flock` on a file under `<commonDir>/spec-dispatch/`, held for the life of the
/// object. `flock` dies with its process, so a killed command never leaves one behind.
class FileLock {
    private let fd: Int32

    /// Waits for the lock.
    init(_ path: String) throws {
        fd = try Self.open(path)
        while flock(fd, LOCK_EX) != 0 {
            guard errno == EINTR else {
                close(fd)
                throw DispatchError.failure("cannot lock \(path): \(String(cString: strerror(errno)))")
            }
        }
    }

    deinit {
        flock(fd, LOCK_UN)
        close(fd)
    }

    /// Whether a live process holds the lock at `path` now (false when there is no such file).
    static func isHeld(_ path: String) -> Bool {
        let fd = Glibc.open(path, O_RDWR | O_CLOEXEC)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else { return errno == EWOULDBLOCK }
        flock(fd, LOCK_UN)
        return false
    }

    private static func open(_ path: String) throws -> Int32 {
        try FileTree.makeDirectory((path as NSString).deletingLastPathComponent)
        let fd = Glibc.open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw DispatchError.failure("cannot open \(path): \(String(cString: strerror(errno)))") }
        return fd
    }
}

/// Serialises the commands that choose or move what is shared among processes of one machine:
/// the short critical section of `next` (list windows, check the cap and `_writes:`, create the
/// claim), and all of `merge`, `abandon`, `gc` and `doctor --fix`. The claim itself stays an
/// atomic ref creation.
final class DispatchLock: FileLock {
    init(repository: Repository) throws {
        try super.init(repository.commonDirectory + "/spec-dispatch/dispatch.lock")
    }
}

/// Serialises the fetches and pushes of one machine through its shared remote: each writes
/// remote-tracking refs, and libgit2 fails rather than waits when another process holds one.
/// Taken while holding the dispatch lock, never the other way round.
final class TransferLock: FileLock {
    init(repository: Repository) throws {
        try super.init(repository.commonDirectory + "/spec-dispatch/transfer.lock")
    }
}

/// Held by `next` from just before it claims a unit until the window's payload is written: a
/// window being made looks like an interrupted one, and `doctor` must leave it alone.
final class WindowCreationLock: FileLock {
    init(repository: Repository, naming: WindowNaming) throws {
        try super.init(Self.path(repository, naming))
    }

    static func isHeld(_ repository: Repository, _ naming: WindowNaming) -> Bool {
        isHeld(path(repository, naming))
    }

    private static func path(_ repository: Repository, _ naming: WindowNaming) -> String {
        "\(repository.commonDirectory)/spec-dispatch/creating/\(naming.worktreeName).lock"
    }
}
