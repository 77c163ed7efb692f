import GitKit
import SpecDispatchCore

/// The unit a repository view belongs to: a window is a worktree whose HEAD is a claim branch.
struct WindowContext {
    let repository: Repository
    let settings: DispatchSettings
    let naming: WindowNaming
    let spec: Spec
    /// The branch tip (HEAD).
    let head: ObjectID

    /// Nil when HEAD is not a claim branch (outside a window, or detached).
    static func current(_ repository: Repository) throws -> WindowContext? {
        guard case .branch(let reference, let head)? = try? repository.head(),
              let naming = WindowNaming.parse(reference: reference) else { return nil }
        let settings = try DispatchSettings(config: try git { try repository.config() })
        return WindowContext(repository: repository, settings: settings, naming: naming,
                             spec: try settings.spec(named: naming.spec, at: head, in: repository), head: head)
    }

    func tree(_ bytes: [UInt8]) -> TaskTree {
        TaskTree(bytes: bytes, options: .init(tilde: settings.tilde))
    }

    /// tasks.md as committed at `commit`.
    func tasks(at commit: ObjectID) throws -> [UInt8] {
        try git { try repository.blob(try tasksID(at: commit)) }
    }

    /// The blob id of tasks.md at `commit`, its content left unread.
    func tasksID(at commit: ObjectID) throws -> ObjectID {
        guard let id = try git({ try repository.blobID(atPath: spec.tasksPath, inCommit: commit) }) else {
            throw DispatchError.notFound("\(spec.tasksPath) does not exist in \(naming.branch)")
        }
        return id
    }

    /// The unit in a tree of this spec.
    func unit(in tree: TaskTree) throws -> DispatchUnit {
        guard let unit = tree.unit(naming.unit) else {
            throw DispatchError.notFound("unit \(naming.unit) is not in \(spec.tasksPath) on \(naming.branch)")
        }
        return unit
    }
}
