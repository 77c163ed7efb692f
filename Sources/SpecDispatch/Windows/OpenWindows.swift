import GitKit
import SpecDispatchCore

/// A unit's claim (its `dispatch/<spec>/task-<id>` branch) and its window (worktree), as found.
public struct Window: Sendable {
    public var naming: WindowNaming
    public var tip: ObjectID
    /// The worktree with this branch checked out; nil when the window is missing.
    public var worktree: WorktreeInfo?
    public var record: DispatchRecord?
    /// The remote this claim was seen on, when it is another machine's (no worktree here).
    public var remote: String? = nil

    /// The payload folder of the window.
    public var payloadFolder: String? { worktree.map { "\($0.path)/\(IgnoreRule.folder)" } }

    /// Created completely: the worktree is valid and its payload is written (the last step of `next`).
    public var isComplete: Bool {
        guard let worktree, worktree.isValid, let folder = payloadFolder else { return false }
        return FileTree.exists(folder + "/" + WindowFiles.payloadName)
    }

    /// `next` was interrupted while creating it: still locked as created (its checkout may be
    /// unfinished), payload never written.
    public var isInterrupted: Bool {
        guard let worktree, let folder = payloadFolder else { return false }
        return worktree.isLocked && !FileTree.exists(folder + "/" + WindowFiles.payloadName)
    }
}

/// Lists claims and windows. Cheap: refs and worktree admin entries only, no working tree scans.
enum OpenWindows {
    static func list(_ repository: Repository, withRecords: Bool = true) throws -> [Window] {
        let claims = try git { try repository.references(matching: WindowNaming.branchPrefix + "*") }
        guard !claims.isEmpty else { return [] }
        let worktrees = try git { try repository.worktrees() }
        var byBranch: [String: WorktreeInfo] = [:]
        var byName: [String: WorktreeInfo] = [:]
        for worktree in worktrees {
            if let head = worktree.headReference { byBranch[head] = worktree }
            byName[worktree.name] = worktree
        }
        return claims.compactMap { claim in
            guard let naming = WindowNaming.parse(reference: claim.name) else { return nil }
            let record = withRecords ? DispatchRecord.find(for: naming, tip: claim.target, in: repository) : nil
            // A worktree whose folder is gone cannot say its branch; its admin name still does.
            let worktree = byBranch[claim.name] ?? byName[naming.worktreeName]
            return Window(naming: naming, tip: claim.target, worktree: worktree, record: record)
        }
    }

    /// Worktrees that are windows (named `<spec>-task-<id>`, and at that unit's place in the
    /// windows folder or on its claim branch) whose claim branch is gone. A worktree of the
    /// user's, even one under the windows folder, is none of ours.
    static func orphanedWorktrees(_ repository: Repository, layout: WindowLayout, windows: [Window]) throws -> [WorktreeInfo] {
        let claimed = Set(windows.compactMap { $0.worktree?.name })
        return try git { try repository.worktrees() }.filter { worktree in
            guard !claimed.contains(worktree.name), let naming = WindowNaming.parse(worktreeName: worktree.name) else { return false }
            let atItsPlace = FileTree.canonical(worktree.path) == FileTree.canonical(layout.path(of: naming))
            let onItsClaim: Bool = switch repository.head(ofWorktree: worktree.name) {
            case .branch(let name, _)?, .unborn(let name)?: name == naming.reference
            default: false
            }
            return atItsPlace || onItsClaim
        }
    }
}
