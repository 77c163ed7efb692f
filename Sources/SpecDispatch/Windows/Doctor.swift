import Foundation
import GitKit
import SpecDispatchCore

/// `doctor`: finds what an interrupted or hand-edited dispatch or merge left behind, and with
/// `--fix` repairs it. Repairs never lose work: a claim with commits gets its window back, a
/// window whose branch was deleted gets its branch back, an interrupted merge is finished, and
/// every removal goes through DispatchState.remove (work elsewhere nowhere stays unless forced,
/// and forced, it is archived first).
public struct Doctor {
    public enum Finding: Sendable {
        /// A merge killed half-way: its journal is still there.
        case interruptedMerge(MergeJournal)
        /// The merge journal cannot be read.
        case unreadableJournal(path: String)
        /// A claim without a window whose work is in its base branch: left behind by an
        /// interrupted merge, or a merge made by hand after the window was deleted.
        case mergedLeftover(Window, base: String)
        /// A claim branch without a worktree (killed after the claim, or window deleted by hand).
        case claimWithoutWindow(Window, hasWork: Bool)
        /// A worktree whose creation was interrupted: still locked, no payload.
        case interruptedWindow(Window, hasWork: Bool)
        /// A complete worktree whose payload or prompt is missing.
        case missingPayload(Window)
        /// Steps a commit's `Completes:` trailer completed whose marks the branch tip lacks (a
        /// hook that failed, or a commit made without the hooks).
        case missingMarks(Window, steps: [TaskID])
        /// Commits that only the window's HEAD reflog still has, which git would expire: its
        /// branch was deleted by hand and made again, or commits were reset away.
        case reflogOnlyCommits(Window, count: Int)
        /// A window's worktree entry that git never finished (`next` killed inside
        /// `git_worktree_add`, before the entry had its HEAD): no worktree, yet it blocks the
        /// unit's next window, and git may list it with a missing HEAD. `folder` is the window
        /// folder when it holds nothing of a checkout (nothing, or only its `.git` file).
        case unfinishedWorktree(name: String, naming: WindowNaming, folder: String?)
        /// A ref's lock file (`<ref>.lock`, or `packed-refs.lock`) on a claim, a ref of ours or
        /// the base branch, left by a command killed while it wrote the ref: while it is there
        /// git refuses to move that ref (or any, for packed-refs), and never removes such a lock
        /// by itself.
        case staleLock(path: String, ref: String)
        /// A window folder moved aside to be deleted (`.task-3.removing`), left by a kill.
        case removalLeftover(path: String)
        /// A window whose claim branch is gone; `restore` is the commit it has checked out (or
        /// last had), to restore the branch at.
        case orphanedWindow(WorktreeInfo, naming: WindowNaming?, restore: ObjectID?)
        /// The payload folder is not ignored.
        case ignoreRuleMissing
        /// A claim on the shared remote that no machine will give back (`doctor --remote`).
        case staleRemoteClaim(StaleClaim)

        public var problem: String {
            switch self {
            case .interruptedMerge(let journal):
                "the merge of \(journal.spec)/\(journal.unit) into \(BranchName.short(journal.base)) was interrupted"
            case .unreadableJournal(let path):
                "the merge journal \(path) cannot be read"
            case .mergedLeftover(let w, let base):
                "unit \(w.naming.spec)/\(w.naming.unit) is merged into \(BranchName.short(base)), but its claim \(w.naming.branch) is still there"
            case .claimWithoutWindow(let w, let work):
                "claim \(w.naming.branch) has no window" + (work ? " (it holds commits)" : "")
            case .interruptedWindow(let w, _):
                "window of \(w.naming.spec)/\(w.naming.unit) was not finished (interrupted dispatch)"
            case .missingPayload(let w):
                "window of \(w.naming.spec)/\(w.naming.unit) has no payload or prompt"
            case .reflogOnlyCommits(let w, let count):
                "the window of \(w.naming.spec)/\(w.naming.unit) has \(count) commit\(count == 1 ? "" : "s") that only its HEAD's reflog keeps"
            case .missingMarks(let w, let steps):
                "\(w.naming.branch) has Completes: trailers for \(steps.map(\.text).joined(separator: ", ")), not marked [x] in its tasks.md"
            case .staleLock(let path, let ref):
                (WindowNaming.parse(reference: ref).map { "claim \($0.branch)" } ?? ref) + " is locked by \(path), left by an interrupted command"
            case .removalLeftover(let path):
                "\(path) is what is left of a window whose removal was interrupted"
            case .unfinishedWorktree(let name, let naming, _):
                "window of \(naming.spec)/\(naming.unit) was left half-created by an interrupted dispatch (worktree entry \(name))"
            case .orphanedWindow(let worktree, _, _):
                "window \(worktree.path) has no claim branch"
            case .ignoreRuleMissing:
                "the payload folder \(IgnoreRule.folder)/ is not ignored (info/exclude)"
            case .staleRemoteClaim(let stale):
                stale.problem
            }
        }

        public var repair: String {
            switch self {
            case .interruptedMerge(let journal): "finish it (\(BranchName.short(journal.base)) moves to \(journal.to.prefix(7)))"
            case .unreadableJournal: "none: look at it, then delete it"
            case .mergedLeftover: "remove the claim and its window"
            case .claimWithoutWindow(_, let work): work ? "recreate its window" : "delete the claim (the unit becomes ready again)"
            case .interruptedWindow(_, let work): work ? "finish the window" : "remove the window and its claim"
            case .missingPayload: "write the payload and prompt again"
            case .missingMarks: "commit the marks on the branch"
            case .reflogOnlyCommits: "keep them under \(DispatchRefs.archivePrefix)"
            case .staleLock: "remove the lock file"
            case .removalLeftover: "delete it"
            case .unfinishedWorktree(_, _, let folder): folder == nil ? "remove the entry" : "remove the entry and its folder"
            case .orphanedWindow(_, let naming?, let restore?): "restore \(naming.branch) at \(restore.short)"
            case .orphanedWindow: "remove the window"
            case .ignoreRuleMissing: "add \(IgnoreRule.line) to info/exclude"
            case .staleRemoteClaim(let stale): stale.repair
            }
        }
    }

    /// A finding `fix` left, and why.
    public struct Unrepaired: Sendable {
        public var finding: Finding
        public var reason: String?
    }

    let workspace: Workspace

    public init(workspace: Workspace) {
        self.workspace = workspace
    }

    /// `doctor --fix`: finds and repairs under the dispatch lock, so that no `merge`, `abandon`
    /// or `gc` of this machine runs meanwhile (a running merge is waited for, not finished twice);
    /// windows `next` is still making are left alone. Returns what was found and what was left.
    public func repair(force: Bool, remote: String? = nil) throws -> (findings: [Finding], left: [Unrepaired]) {
        let lock = try DispatchLock(repository: workspace.repository)
        return try withExtendedLifetime(lock) {
            let findings = try diagnose(remote: remote)
            return (findings, try fix(findings, force: force))
        }
    }

    /// What is wrong, touching nothing. Windows that `next` is still making are not wrong. With
    /// `remote`, also the stale claims on that remote (fetched first).
    public func diagnose(remote: String? = nil) throws -> [Finding] {
        let repository = workspace.repository
        let state = DispatchState(workspace: workspace)
        let layout = try WindowLayout(repository: repository, settings: workspace.settings)
        let windows = try OpenWindows.list(repository)
        var findings: [Finding] = []
        // Lock files first: --fix must remove them before it can move those refs.
        findings += try staleLocks().map { .staleLock(path: $0.path, ref: $0.ref) }
        findings += removalLeftovers(layout).map { .removalLeftover(path: $0) }
        // The merge's journal covers its unit's window: finishing the merge retires it.
        let merging = state.interruptedMerge()
        if let merging { findings.append(.interruptedMerge(merging)) }
        if state.hasUnreadableJournal { findings.append(.unreadableJournal(path: state.journalPath)) }
        for window in windows where !(merging.map { $0.spec == window.naming.spec && $0.unit == window.naming.unit } ?? false)
            && !WindowCreationLock.isHeld(repository, window.naming) {
            let hasWork = !window.holdsNoWork(in: repository)
            guard let worktree = window.worktree, worktree.isValid else {
                // Merged, its window is not worth recreating (a complete one is gc's to remove).
                if hasWork, let base = try mergedBase(of: window) {
                    findings.append(.mergedLeftover(window, base: base))
                } else {
                    findings.append(.claimWithoutWindow(window, hasWork: hasWork))
                }
                continue
            }
            if window.isInterrupted {
                findings.append(.interruptedWindow(window, hasWork: hasWork))
            } else if !window.isComplete || !FileTree.exists("\(worktree.path)/\(IgnoreRule.folder)/\(WindowFiles.promptName)") {
                findings.append(.missingPayload(window))
            }
            if let reflog = try? WindowWork.reflogOnly(WindowTarget(window), in: repository), !reflog.commits.isEmpty {
                findings.append(.reflogOnlyCommits(window, count: reflog.commits.count))
            }
            if hasWork, let gaps = try? TrailerReconciliation(workspace: workspace).missingMarks(window), !gaps.isEmpty {
                findings.append(.missingMarks(window, steps: gaps.map(\.step)))
            }
        }
        for name in try git({ try repository.unfinishedWorktreeNames() }) {
            guard let naming = WindowNaming.parse(worktreeName: name), !WindowCreationLock.isHeld(repository, naming) else { continue }
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
            let naming = worktree.headReference.flatMap(WindowNaming.parse(reference:)) ?? WindowNaming.parse(worktreeName: worktree.name)
            findings.append(.orphanedWindow(worktree, naming: naming, restore: Self.lastCommit(of: worktree, in: repository)))
        }
        if !IgnoreRule.isInstalled(repository) { findings.append(.ignoreRuleMissing) }
        if let remote {
            let claims = try RemoteClaims(repository: repository, remote: remote)
            findings += try StaleClaims(workspace: workspace, claims: claims).find().map { .staleRemoteClaim($0) }
        }
        return findings
    }

    /// Repairs every finding it safely can; returns the ones left, with why. With `force`,
    /// windows that hold work are removed too, that work archived first. The caller holds the
    /// dispatch lock (`repair`).
    func fix(_ findings: [Finding], force: Bool) throws -> [Unrepaired] {
        var left: [Unrepaired] = []
        for finding in findings {
            do {
                try repair(finding, force: force)
            } catch DispatchError.refused(let reason, _) {
                left.append(Unrepaired(finding: finding, reason: reason))
            }
        }
        return left
    }

    private func repair(_ finding: Finding, force: Bool) throws {
        let repository = workspace.repository
        let state = DispatchState(workspace: workspace)
        switch finding {
        case .interruptedMerge(let journal):
            try state.resumeMerge(journal)
        case .unreadableJournal:
            throw DispatchError.refused("a person must decide: it names a merge that did not finish")
        case .mergedLeftover(let window, _):
            try state.remove(WindowTarget(window), force: force)
        case .claimWithoutWindow(let window, let hasWork):
            if hasWork {
                if let stale = window.worktree { try state.dropStaleEntry(stale, of: window) }
                try WindowRestorer(workspace: workspace).recreate(window)
            } else {
                try state.remove(WindowTarget(window), force: force)
            }
        case .interruptedWindow(let window, let hasWork):
            if hasWork { try WindowRestorer(workspace: workspace).rewriteFiles(window) } else { try state.remove(WindowTarget(window), force: force) }
        case .missingPayload(let window):
            try WindowRestorer(workspace: workspace).rewriteFiles(window)
        case .reflogOnlyCommits(let window, _):
            _ = try state.archiveReflogOnly(WindowTarget(window))
        case .missingMarks(let window, _):
            _ = try TrailerReconciliation(workspace: workspace).commitMissingMarks(window)
        case .staleLock(let path, _):
            // Under the dispatch lock (`repair`), so that no `next` or `merge` is writing a ref now.
            try FileTree.removeStaleLock(path)
        case .removalLeftover(let path):
            try FileTree.remove(path)
        case .unfinishedWorktree(let name, _, let folder):
            try git { try repository.removeUnfinishedWorktree(name: name) }
            if let folder { try FileTree.remove(folder) }
        case .orphanedWindow(_, let naming?, let restore?):
            try state.restoreClaim(naming, at: restore)
        case .orphanedWindow(let worktree, _, _):
            try state.remove(WindowTarget(orphan: worktree, in: repository), force: force)
        case .ignoreRuleMissing:
            try IgnoreRule.install(repository)
        case .staleRemoteClaim(let stale):
            _ = try state.removeStaleClaim(stale, force: force)
        }
    }

    /// Lock files on the refs spec-dispatch writes: claims, its own refs, the base branches of
    /// open windows and of an interrupted merge, and packed-refs.
    private func staleLocks() throws -> [(path: String, ref: String)] {
        let common = workspace.repository.commonDirectory
        var found: [(path: String, ref: String)] = []
        for folder in ["refs/heads/dispatch", "refs/dispatch"] {
            for file in FileManager.default.enumerator(atPath: "\(common)/\(folder)")?.compactMap({ $0 as? String }) ?? [] where file.hasSuffix(".lock") {
                found.append(("\(common)/\(folder)/\(file)", "\(folder)/\(file.dropLast(".lock".count))"))
            }
        }
        var bases = Set(try OpenWindows.list(workspace.repository).compactMap { $0.record?.baseReference })
        if let merging = DispatchState(workspace: workspace).interruptedMerge() { bases.insert(merging.base) }
        if let base = try? workspace.base().reference { bases.insert(base) }
        for base in bases.sorted() where FileTree.exists("\(common)/\(base).lock") { found.append(("\(common)/\(base).lock", base)) }
        if FileTree.exists("\(common)/packed-refs.lock") { found.append(("\(common)/packed-refs.lock", "packed-refs")) }
        return found
    }

    /// Window folders moved aside for deletion, which a kill left (FileTree.moveAside).
    private func removalLeftovers(_ layout: WindowLayout) -> [String] {
        FileTree.folders(in: layout.root).flatMap { spec in
            FileTree.folders(in: "\(layout.root)/\(spec)").filter { $0.hasPrefix(".") && $0.hasSuffix(FileTree.removingSuffix) }
                .map { "\(layout.root)/\(spec)/\($0)" }
        }
    }

    /// The base branch a claim's commits are all in, when they are.
    private func mergedBase(of window: Window) throws -> String? {
        guard let base = window.record?.baseReference ?? (try? workspace.base().reference) ?? nil,
              let tip = try git({ try workspace.repository.referenceTarget(base) }),
              try git({ try workspace.repository.isAncestor(window.tip, of: tip) }) else { return nil }
        return base
    }

    /// What a window without its branch has checked out: its HEAD's commit, else the newest
    /// commit of its HEAD's reflog (the agent's commits), else the start commit its payload
    /// records; nil when that commit is gone too.
    static func lastCommit(of worktree: WorktreeInfo, in repository: Repository) -> ObjectID? {
        if let head = WindowWork.headCommit(of: worktree, in: repository) { return head }
        if let newest = repository.headReflog(ofWorktree: worktree.name).first?.new, !newest.isZero,
           (try? repository.commit(newest)) != nil { return newest }
        let payload = "\(worktree.path)/\(IgnoreRule.folder)/\(WindowFiles.payloadName)"
        guard let bytes = FileTree.contents(payload),
              let object = try? JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any],
              let hex = object["start_commit"] as? String, let commit = ObjectID(hex: hex),
              (try? repository.commit(commit)) != nil else { return nil }
        return commit
    }
}
