#if canImport(Glibc)
import Glibc
#endif
import GitKit

/// Serialises the short critical section of `next` (list windows, check the cap and `_writes:`,
/// create the claim) among processes of one machine. `flock` dies with its process, so a killed
/// dispatcher never leaves it behind. The claim itself stays an atomic ref creation.
final class DispatchLock {
    private let fd: Int32

    init(repository: Repository) throws {
        let folder = repository.commonDirectory + "/spec-dispatch"
        try FileTree.makeDirectory(folder)
        fd = open(folder + "/dispatch.lock", O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw DispatchError.failure("cannot open \(folder)/dispatch.lock: \(String(cString: strerror(errno)))")
        }
        while flock(fd, LOCK_EX) != 0 {
            guard errno == EINTR else {
                close(fd)
                throw DispatchError.failure("cannot lock \(folder)/dispatch.lock: \(String(cString: strerror(errno)))")
            }
        }
    }

    deinit {
        flock(fd, LOCK_UN)
        close(fd)
    }
}
