import Foundation
import GitKit
import SpecDispatchCore

/// `done`, `block`, `unblock`: the hooks' updates as commands, committing tasks.md on the
/// unit's branch with a conventional message. They run inside the window, or anywhere in the
/// repository (the window is found from the step id).
public struct ProgressCommands {
    public enum Action: Sendable {
        case done([String])
        case block(String, reason: String, by: String?)
        case unblock(String)
        /// Blocks the unit as a whole on its own task, whatever its steps' state: an escalation.
        case blockUnit(String, reason: String, by: String?)
    }

    public struct Outcome: Sendable {
        public var commit: ObjectID?
        public var summary: String
        /// The prompt rewritten with resume guidance (after `unblock`).
        public var prompt: String?
    }

    let workspace: Workspace

    public init(workspace: Workspace) {
        self.workspace = workspace
    }

    public func run(_ action: Action, spec option: String?) throws -> Outcome {
        let (ids, named) = try Self.ids(action)
        let context = try window(for: ids[0], spec: try Self.spec(option, named))
        let committed = try context.tasks(at: context.head)
        let tree = context.tree(committed)
        let unit = try context.unit(in: tree)
        let update: UnitUpdate
        let message: String
        switch action {
        case .done:
            // Steps whose trailers are on the branch but whose marks are missing come along.
            let earlier = TrailerReconciliation.missing(in: context, unit: unit, tree: tree).gaps.filter { !ids.contains($0.step) }
            update = UnitUpdate(completing: ids + earlier.map(\.step))
            let also = earlier.isEmpty ? "" : "Also marks \(TrailerReconciliation.describe(earlier)) done, whose marks were missing.\n\n"
            message = "done: \(Self.titles(ids, tree))\n\n\(also)Completes: \(ids.map(\.text).joined(separator: ", "))\n"
        case .block(_, let reason, let by), .blockUnit(_, let reason, let by):
            if case .blockUnit = action { update = UnitUpdate(blockingUnit: reason) } else { update = UnitUpdate(blocking: (ids[0], reason)) }
            let who = by ?? DispatchRecord.find(for: context.naming, tip: context.head, in: context.repository)?.agent
                ?? context.repository.defaultSignature().name
            message = "block: \(ids[0]) — \(ControlCharacters.escaped(StatusText.oneLine(reason)))\n\nBlocks: \(ids[0])\nBlocked-By: \(ControlCharacters.escaped(who))\n"
        case .unblock:
            update = UnitUpdate(unblocking: ids)
            message = "unblock: \(ids[0])\n\nUnblocks: \(ids[0])\n"
        }
        let log = ReviewLog(repository: workspace.repository, naming: context.naming)
        let escalated: Bool
        if case .unblock = action, ids[0] == unit.id, case .escalated = try UnitReview.load(try openWindow(context), workspace: workspace).state {
            escalated = true
        } else {
            escalated = false
        }
        var edits: [TextEdit]
        do {
            edits = try update.edits(for: unit, in: tree)
        } catch .notBlocked where escalated {
            // The escalation's line is gone (a later commit completed the step, or an older
            // version could not write it): lifting the escalation is all there is to do.
            edits = []
        } catch {
            throw DispatchError.invalidInput(error.description)
        }
        guard !edits.isEmpty || escalated else {
            return Outcome(commit: nil, summary: "nothing to do: \(ids.map(\.text).joined(separator: ", ")) already as asked", prompt: nil)
        }
        var commit: ObjectID?
        if !edits.isEmpty {
            let updated = TextEdit.apply(edits, to: committed)
            let made = try TasksCommit.commit(updated, in: context, message: message)
            commit = made
            let moved = WindowContext(repository: context.repository, settings: context.settings, naming: context.naming,
                                      spec: context.spec, head: made)
            try TasksFileSync(context: moved).sync(old: committed, new: updated) { working in
                (try? working.unit(context.naming.unit).map { try update.edits(for: $0, in: working) }) ?? nil
            }
            RemoteClaims.pushProgress(context.naming, settings: context.settings, repository: context.repository) {
                FileHandle.standardError.write(Data(($0 + "\n").utf8))
            }
        }
        if case .unblock = action {
            try log.append(author: workspace.repository.defaultSignature()) { ledger in
                let last = ledger.events.last { if case .noProgress = $0 { false } else { true } }
                if case .escalate(let round)? = last { return .reset(round: round) } else { return nil }
            }
        }
        var prompt: String?
        if case .unblock = action, let window = try OpenWindows.list(workspace.repository).first(where: { $0.naming == context.naming }) {
            try WindowRestorer(workspace: workspace).rewriteFiles(window)
            prompt = window.payloadFolder.map { "\($0)/\(WindowFiles.promptName)" }
        }
        let summary = commit == nil ? "unblock: \(named) (its escalation is lifted; tasks.md had no block line to remove)"
            : message.split(separator: "\n").first.map(String.init) ?? ""
        return Outcome(commit: commit, summary: summary, prompt: prompt)
    }

    /// The ids an action names, and the first as typed. A unit or step may be named with its
    /// spec (`s/1`), as the commands' own messages name units.
    private static func ids(_ action: Action) throws -> ([TaskID], String) {
        let texts: [String] = switch action {
        case .done(let ids): ids
        case .block(let id, _, _), .unblock(let id), .blockUnit(let id, _, _): [id]
        }
        guard !texts.isEmpty else { throw DispatchError.usage("name at least one step") }
        return (try texts.map { text in
            guard let id = TaskID(text.split(separator: "/", maxSplits: 1).last.map(String.init) ?? text) else {
                throw DispatchError.invalidInput("'\(text)' is not a task id (like 2.1, or <spec>/2.1)")
            }
            return id
        }, texts[0])
    }

    /// The spec the option or a `<spec>/` prefix names; they must agree.
    private static func spec(_ option: String?, _ text: String) throws -> String? {
        let parts = text.split(separator: "/", maxSplits: 1).map(String.init)
        guard parts.count == 2 else { return option }
        if let option, option != parts[0] {
            throw DispatchError.invalidInput("'\(text)' names spec \(parts[0]), but --spec says \(option)")
        }
        return parts[0]
    }

    private func openWindow(_ context: WindowContext) throws -> Window {
        guard let window = try OpenWindows.list(workspace.repository).first(where: { $0.naming == context.naming }) else {
            throw DispatchError.notFound("unit \(context.naming.unit) has no window")
        }
        return window
    }

    /// For a commit's subject: a title's control characters escaped, so none cuts or forges the message.
    private static func titles(_ ids: [TaskID], _ tree: TaskTree) -> String {
        ids.map { id in tree.node(id).map { "\(id) \(ControlCharacters.escaped($0.entry.title))" } ?? id.text }.joined(separator: "; ")
    }

    /// The window of the unit holding `step`: the current worktree when its unit holds it, else
    /// the open window whose unit does, as tasks.md on its branch says (a Spec Kit step `T004`
    /// is in phase 2 by its place in the file, not by its id).
    private func window(for step: TaskID, spec option: String?) throws -> WindowContext {
        let here = try WindowContext.current(workspace.repository).flatMap { option == nil || $0.naming.spec == option ? $0 : nil }
        if let here, Self.unit(of: here, holds: step) { return here }
        let repository = workspace.repository
        let open = try OpenWindows.list(repository, withRecords: false).filter { option == nil || $0.naming.spec == option }
        let holds = { (window: Window) -> Bool in
            guard let spec = try? workspace.settings.spec(named: window.naming.spec, at: window.tip, in: repository) else { return false }
            let context = WindowContext(repository: repository, settings: workspace.settings, naming: window.naming,
                                        spec: spec, head: window.tip)
            return Self.unit(of: context, holds: step)
        }
        // Windows whose unit id names the step (`2` for `2.3`) are read first: with many windows,
        // a dotted step is settled without parsing every window's tasks.md.
        let named = open.filter { $0.naming.unit == step || $0.naming.unit.isAncestor(of: step) }
        var windows = named.filter(holds)
        if windows.isEmpty { windows = open.filter { window in !named.contains { $0.naming == window.naming } }.filter(holds) }
        guard let window = windows.first else {
            // In a window, its own unit's update names the steps the id could have meant.
            if let here { return here }
            throw DispatchError.notFound("no open window holds step \(step)", details: ["hint: `spec-dispatch status` lists the open windows"])
        }
        guard windows.count == 1 else {
            throw DispatchError.invalidInput("step \(step) is in windows of several specs; say which with --spec")
        }
        guard let worktree = window.worktree, worktree.isValid else {
            throw DispatchError.notFound("the window of unit \(window.naming.unit) is missing; run `spec-dispatch doctor --fix`")
        }
        guard let context = try WindowContext.current(try git { try Repository.open(at: worktree.path) }) else {
            throw DispatchError.notFound("\(worktree.path) is not on its claim branch")
        }
        return context
    }

    private static func unit(of context: WindowContext, holds step: TaskID) -> Bool {
        guard let bytes = try? context.tasks(at: context.head) else { return false }
        let tree = context.tree(bytes)
        guard let unit = tree.unit(context.naming.unit) else { return false }
        return unit.members.contains { tree.nodes[$0].id == step }
    }
}

enum StatusText {
    static func oneLine(_ text: String) -> String {
        text.split(whereSeparator: \.isNewline).joined(separator: " ")
    }
}
