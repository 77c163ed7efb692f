import Foundation
import GitKit
import SpecDispatchCore

/// `doctor`: finds what an interrupted or hand-edited dispatch left behind, and with `--fix`
/// repairs it. Repairs never lose work: a claim with commits gets its window back rather than
/// being deleted, and a window with uncommitted changes is only reported.
public struct Doctor {
    public enum Finding: Sendable {
        /// A claim branch without a worktree (killed after the claim, or window deleted by hand).
        case claimWithoutWindow(Window, hasWork: Bool)
        /// A worktree whose creation was interrupted: still locked, no payload.
        case interruptedWindow(Window, hasWork: Bool)
        /// A complete worktree whose payload or prompt is missing.
        case missingPayload(Window)
        /// A window's worktree entry that git never finished (`next` killed inside
        /// `git_worktree_add`, before the entry had its HEAD): no worktree, yet it blocks the
        /// unit's next window, and git may list it with a missing HEAD. `folder` is the window
        /// folder when it holds nothing of a checkout (nothing, or only its `.git` file).
        case unfinishedWorktree(name: String, naming: WindowNaming, folder: String?)
        /// A claim ref's lock file (`<ref>.lock`), left by a command killed while it wrote the
        /// ref: while it is there git refuses to create or move that branch, so `next` cannot
        /// claim the unit, and git never removes such a lock by itself.
        case staleClaimLock(path: String, branch: String)
        /// A window whose claim branch is gone; `restore` is the commit it last had checked out.
        case orphanedWindow(WorktreeInfo, restore: ObjectID?, isClean: Bool)
        /// The payload folder is not ignored.
        case ignoreRuleMissing

        public var problem: String {
            switch self {
            case .claimWithoutWindow(let w, let work):
                "claim \(w.naming.branch) has no window" + (work ? " (it holds commits)" : "")
            case .interruptedWindow(let w, _):
                "window of \(w.naming.spec)/\(w.naming.unit) was not finished (interrupted dispatch)"
            case .missingPayload(let w):
                "window of \(w.naming.spec)/\(w.naming.unit) has no payload or prompt"
            case .staleClaimLock(let path, let branch):
                "claim \(branch) is locked by \(path), left by an interrupted command"
            case .unfinishedWorktree(let name, let naming, _):
                "window of \(naming.spec)/\(naming.unit) was left half-created by an interrupted dispatch (worktree entry \(name))"
            case .orphanedWindow(let worktree, _, _):
                "window \(worktree.path) has no claim branch"
            case .ignoreRuleMissing:
                "the payload folder \(IgnoreRule.folder)/ is not ignored (info/exclude)"
            }
        }

        public var repair: String {
            switch self {
            case .claimWithoutWindow(_, let work): work ? "recreate its window" : "delete the claim (the unit becomes ready again)"
            case .interruptedWindow(_, let work): work ? "finish the window" : "remove the window and its claim"
            case .missingPayload: "write the payload and prompt again"
            case .staleClaimLock: "remove the lock file"
            case .unfinishedWorktree(_, _, let folder): folder == nil ? "remove the entry" : "remove the entry and its folder"
            case .orphanedWindow(let worktree, let restore?, _):
                "restore \(worktree.headReference.map(BranchName.short) ?? "its branch") at \(restore.short)"
            case .orphanedWindow(_, nil, let clean): clean ? "remove the window" : "none without --force: it may hold work"
            case .ignoreRuleMissing: "add \(IgnoreRule.line) to info/exclude"
            }
        }
    }

    let workspace: Workspace

    public init(workspace: Workspace) {
        self.workspace = workspace
    }

    public func diagnose() throws -> [Finding] {
        let repository = workspace.repository
        let layout = try WindowLayout(repository: repository, settings: workspace.settings)
        let windows = try OpenWindows.list(repository)
        var findings: [Finding] = []
        // Lock files first: --fix must remove them before it can delete or restore those claims.
        let claims = repository.commonDirectory + "/" + WindowNaming.branchPrefix.dropLast()
        for file in FileManager.default.enumerator(atPath: claims)?.compactMap({ $0 as? String }) ?? [] where file.hasSuffix(".lock") {
            findings.append(.staleClaimLock(path: "\(claims)/\(file)", branch: "dispatch/" + file.dropLast(".lock".count)))
        }
        for window in windows {
            let hasWork = window.record.map { $0.commit != window.tip } ?? true
            guard let worktree = window.worktree, worktree.isValid else {
                findings.append(.claimWithoutWindow(window, hasWork: hasWork))
                continue
            }
            if window.isInterrupted {
                findings.append(.interruptedWindow(window, hasWork: hasWork))
            } else if !window.isComplete || !FileTree.exists("\(worktree.path)/\(IgnoreRule.folder)/\(WindowFiles.promptName)") {
                findings.append(.missingPayload(window))
            }
        }
        for name in try git({ try repository.unfinishedWorktreeNames() }) {
            guard let naming = WindowNaming.parse(worktreeName: name) else { continue }
            let folder = layout.path(of: naming)
            // libgit2 writes `gitdir: <commondir>/worktrees/<name>/`; killed midway, it may be empty.
            let gitFile = FileTree.contents(folder + "/.git").map { String(decoding: $0, as: UTF8.self) }
            let pointsHere = gitFile.map { text in
                let target = text.trimmingCharacters(in: .whitespacesAndNewlines)
                return target.isEmpty || target.hasSuffix("/worktrees/\(name)") || target.hasSuffix("/worktrees/\(name)/")
            } ?? true
            let entries = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
            let untouched = FileTree.isDirectory(folder) && entries.allSatisfy { $0 == ".git" } && pointsHere
            findings.append(.unfinishedWorktree(name: name, naming: naming, folder: untouched ? folder : nil))
        }
        for worktree in try OpenWindows.orphanedWorktrees(repository, layout: layout, windows: windows) {
            findings.append(.orphanedWindow(worktree, restore: Self.lastCommit(of: worktree, in: repository),
                                            isClean: WindowChanges.uncommitted(in: worktree).isEmpty))
        }
        if !IgnoreRule.isInstalled(repository) { findings.append(.ignoreRuleMissing) }
        return findings
    }

    /// Repairs every finding it safely can; returns the ones left (with `force`, orphaned
    /// windows with changes are removed too).
    public func fix(_ findings: [Finding], force: Bool) throws -> [Finding] {
        let repository = workspace.repository
        var left: [Finding] = []
        for finding in findings {
            switch finding {
            case .claimWithoutWindow(let window, let hasWork):
                if let stale = window.worktree { try git { try repository.removeWorktree(name: stale.name, deleteWorkingTree: true, force: true) } }
                if hasWork { try WindowRestorer(workspace: workspace).recreate(window) } else { try releaseClaim(window) }
            case .interruptedWindow(let window, let hasWork):
                if hasWork {
                    try WindowRestorer(workspace: workspace).rewriteFiles(window)
                } else {
                    try git { try repository.removeWorktree(name: window.worktree!.name, deleteWorkingTree: true, force: true) }
                    try releaseClaim(window)
                }
            case .missingPayload(let window):
                try WindowRestorer(workspace: workspace).rewriteFiles(window)
            case .staleClaimLock(let path, _):
                // Under the dispatch lock, so that no `next` is writing a claim ref right now.
                let lock = try DispatchLock(repository: repository)
                try withExtendedLifetime(lock) { try FileTree.remove(path) }
            case .unfinishedWorktree(let name, _, let folder):
                try git { try repository.removeUnfinishedWorktree(name: name) }
                if let folder { try FileTree.remove(folder) }
            case .orphanedWindow(let worktree, let restore?, _) where worktree.headReference.flatMap({ WindowNaming.parse(reference: $0) }) != nil:
                do {
                    try repository.createReference(worktree.headReference!, target: restore, logMessage: "spec-dispatch doctor: restore claim")
                } catch {
                    guard error.code == .exists else { throw DispatchError.git(error) }
                }
            case .orphanedWindow(let worktree, _, let isClean):
                guard isClean || force else {
                    left.append(finding)
                    continue
                }
                try git { try repository.removeWorktree(name: worktree.name, deleteWorkingTree: true, force: true) }
            case .ignoreRuleMissing:
                try IgnoreRule.install(repository)
            }
        }
        return left
    }

    private func releaseClaim(_ window: Window) throws {
        do {
            try workspace.repository.deleteReference(window.naming.reference, expecting: window.tip)
        } catch {
            guard error.code == .notFound else { throw DispatchError.git(error) }
        }
    }

    /// What a window without its branch last had checked out: its HEAD reflog (the agent's
    /// commits), else the start commit its payload records; nil when that commit is gone too.
    static func lastCommit(of worktree: WorktreeInfo, in repository: Repository) -> ObjectID? {
        if let commit = try? repository.lastHeadCommit(ofWorktree: worktree.name) { return commit }
        let payload = "\(worktree.path)/\(IgnoreRule.folder)/\(WindowFiles.payloadName)"
        guard let bytes = FileTree.contents(payload),
              let object = try? JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any],
              let hex = object["start_commit"] as? String, let commit = ObjectID(hex: hex),
              (try? repository.commit(commit)) != nil else { return nil }
        return commit
    }
}
