import Foundation
import GitKit
import SpecDispatchCore

/// The work behind the installed hooks, inside a window (elsewhere each returns at once):
/// - pre-commit: a tasks.md edited by hand gets its parents and current step derived in the
///   same commit; changes to other units' tasks, or an invalid tasks.md, are refused;
/// - commit-msg: `Completes:` trailers must name steps of this unit;
/// - post-commit: the steps named by `Completes:` become `[x]` in that same commit (HEAD is
///   rewritten in place: same parents, author, committer and message), and so do steps earlier
///   commits of the branch named whose marks are missing.
/// Refusals print why and exit non-zero; `git commit --no-verify` skips the first two, as git
/// users expect.
public struct HookRunner {
    public struct Refusal: Error, CustomStringConvertible {
        public var lines: [String]
        public var description: String { lines.joined(separator: "\n") }
    }

    let say: (String) -> Void

    public init(say: @escaping (String) -> Void) {
        self.say = say
    }

    public func run(_ name: String, arguments: [String]) throws {
        let repository = try git { try Repository.openFromEnvironment() }
        let context: WindowContext
        do {
            guard let current = try WindowContext.current(repository) else { return }
            context = current
        } catch let error as DispatchError where name == "pre-commit" {
            // A spec name in two folders at HEAD: the commit that takes one of them away goes through.
            guard case .branch(let reference, _)? = try? repository.head(), let naming = WindowNaming.parse(reference: reference) else {
                throw error
            }
            let settings = try DispatchSettings(config: try git { try repository.config() })
            if try stagedSpecs(named: naming.spec, settings: settings, in: repository).count == 1 { return }
            throw error
        }
        switch name {
        // Not held back: pre-commit writes git's own index.lock (GIT_INDEX_FILE), which git
        // removes when it is stopped; a hook outliving it would leave that lock behind.
        case "pre-commit": try preCommit(context)
        case "commit-msg": try commitMessage(context, file: arguments.first)
        case "post-commit": try postCommit(context)
        default: throw DispatchError.invalidInput("unknown hook '\(name)'")
        }
    }

    /// The places the window's spec name has a tasks.md in the index (nil outside a window).
    private func stagedSpecs(named name: String, settings: DispatchSettings, in repository: Repository) throws -> [Spec] {
        try settings.candidates(named: name).filter { spec in
            try git({ try repository.indexEntryID(path: spec.tasksPath) }) != nil
        }
    }

    private func preCommit(_ context: WindowContext) throws {
        let repository = context.repository
        let path = context.spec.tasksPath
        let stagedSpecs = try stagedSpecs(named: context.naming.spec, settings: context.settings, in: repository)
        if stagedSpecs.count > 1 {
            throw Refusal(lines: ["this commit gives spec name '\(context.naming.spec)' a second tasks.md: \(stagedSpecs.map(\.tasksPath).joined(separator: " and "))",
                                  "windows find their spec by name; name the new spec's folder differently"])
        }
        let committedID = try context.tasksID(at: context.head)
        guard let stagedID = try git({ try repository.indexEntryID(path: path) }) else {
            throw Refusal(lines: ["this commit deletes \(path), which unit \(context.naming.unit)'s progress lives in"])
        }
        guard stagedID != committedID else { return }
        let committed = try git { try repository.blob(committedID) }
        let staged = try git { try repository.blob(stagedID) }
        let old = context.tree(committed), new = context.tree(staged)
        let newErrors = new.diagnostics.filter { $0.severity == .error }
        if !newErrors.isEmpty {
            throw Refusal(lines: ["this commit makes \(path) invalid:"] + newErrors.map { $0.formatted(path: path) })
        }
        let foreign = UnitChangeCheck.foreignChanges(unit: context.naming.unit, old: old, new: new)
        if !foreign.isEmpty {
            throw Refusal(lines: ["this commit changes tasks of other units in \(path): \(ReasonText.list(foreign.map(\.text)))",
                                  "this window works unit \(context.naming.unit) only; each unit's tasks change in its own window"])
        }
        let edits = try deriveEdits(new, context)
        guard !edits.isEmpty else { return }
        let derived = TextEdit.apply(edits, to: staged)
        guard let root = repository.workingDirectory else { return }
        let file = "\(root)/\(path)"
        if FileTree.contents(file) == staged {
            try FileTree.writeAtomically(derived, to: file)
            try git { try repository.stage(paths: [path]) }
        } else {
            try git { try repository.stage(path: path, contents: derived) }
        }
    }

    private func deriveEdits(_ tree: TaskTree, _ context: WindowContext) throws -> [TextEdit] {
        guard let unit = tree.unit(context.naming.unit) else {
            throw Refusal(lines: ["this commit removes unit \(context.naming.unit) from \(context.spec.tasksPath)"])
        }
        return try updating(UnitUpdate(), unit: unit, tree: tree)
    }

    private func commitMessage(_ context: WindowContext, file: String?) throws {
        guard let file, let bytes = FileTree.contents(file) else { return }
        let (ids, invalid) = Self.completions(in: String(decoding: bytes, as: UTF8.self))
        guard !ids.isEmpty || !invalid.isEmpty else { return }
        if !invalid.isEmpty {
            throw Refusal(lines: ["Completes: \(invalid.joined(separator: ", ")) is not a task id"])
        }
        let repository = context.repository
        let path = context.spec.tasksPath
        let staged = try git { try repository.indexEntryID(path: path) }.map { id in try git { try repository.blob(id) } }
        let tree = context.tree(try staged ?? context.tasks(at: context.head))
        _ = try updating(UnitUpdate(completing: ids), unit: try context.unit(in: tree), tree: tree)
    }

    private func postCommit(_ context: WindowContext) throws {
        // The push may wait on the network; only the local writes hold signals back.
        try Uninterruptible.run { try applyCompletions(context) }
        RemoteClaims.pushProgress(context.naming, settings: context.settings, repository: context.repository, say: say)
    }

    private func applyCompletions(_ context: WindowContext) throws {
        let repository = context.repository
        let commit = try git { try repository.commit(context.head) }
        let (ids, _) = Self.completions(in: commit.message)
        guard !ids.isEmpty else { return }
        let committed = try context.tasks(at: commit.id)
        let tree = context.tree(committed)
        let unit = try context.unit(in: tree)
        // Ids the commit-msg hook would have refused (after --no-verify) are left out, not guessed at.
        let valid = ids.filter { id in (try? UnitUpdate(completing: [id]).edits(for: unit, in: tree)) != nil }
        for id in ids where !valid.contains(id) { say("spec-dispatch: ignoring Completes: \(id), which is not a step of unit \(unit.id)") }
        // Steps earlier commits completed whose marks are not here (their hook failed, or did not run) come along.
        let earlier = TrailerReconciliation.missing(in: context, unit: unit, tree: tree).gaps.filter { !valid.contains($0.step) }
        let update = UnitUpdate(completing: valid + earlier.map(\.step))
        let edits = try updating(update, unit: unit, tree: tree)
        guard !edits.isEmpty else { return }
        guard !commit.isSigned else {
            say("spec-dispatch: \(commit.id.short) is signed, so tasks.md was not updated in it; run `spec-dispatch done \(update.completing.map(\.text).joined(separator: " "))`")
            return
        }
        let updated = TextEdit.apply(edits, to: committed)
        let amended = try TasksCommit.amend(commit, with: updated, in: context)
        FaultInjection(environment: ProcessInfo.processInfo.environment).checkpoint(.hookAmended)
        try TasksFileSync(context: WindowContext(repository: repository, settings: context.settings, naming: context.naming,
                                                 spec: context.spec, head: amended))
            .sync(old: committed, new: updated) { working in
                (try? working.unit(context.naming.unit).map { try update.edits(for: $0, in: working) }) ?? nil
            }
        var marked: [String] = []
        if !valid.isEmpty { marked.append("marked \(valid.map(\.text).joined(separator: ", ")) done in this commit") }
        if !earlier.isEmpty { marked.append("marked \(TrailerReconciliation.describe(earlier)) done, whose marks were missing") }
        say("spec-dispatch: \(marked.joined(separator: "; ")) (now \(amended.short))")
    }

    private func updating(_ update: UnitUpdate, unit: DispatchUnit, tree: TaskTree) throws -> [TextEdit] {
        do {
            return try update.edits(for: unit, in: tree)
        } catch {
            throw Refusal(lines: [error.description])
        }
    }

    /// `Completes:` ids of a message; comment lines (an editor's `#` lines) are not part of it.
    static func completions(in message: String) -> (ids: [TaskID], invalid: [String]) {
        let text = message.split(separator: "\n", omittingEmptySubsequences: false)
            .filter { !$0.hasPrefix("#") }.joined(separator: "\n")
        return ProgressTrailers.completions(in: Repository.trailers(of: text))
    }
}
