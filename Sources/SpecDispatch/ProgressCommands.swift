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
        let ids = try Self.ids(action)
        let context = try window(for: ids[0], spec: option)
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
        case .block(_, let reason, let by):
            update = UnitUpdate(blocking: (ids[0], reason))
            let who = by ?? DispatchRecord.find(for: context.naming, tip: context.head, in: context.repository)?.agent
                ?? context.repository.defaultSignature().name
            message = "block: \(ids[0]) — \(ControlCharacters.escaped(StatusText.oneLine(reason)))\n\nBlocks: \(ids[0])\nBlocked-By: \(ControlCharacters.escaped(who))\n"
        case .unblock:
            update = UnitUpdate(unblocking: ids)
            message = "unblock: \(ids[0])\n\nUnblocks: \(ids[0])\n"
        }
        let edits: [TextEdit]
        do {
            edits = try update.edits(for: unit, in: tree)
        } catch {
            throw DispatchError.invalidInput(error.description)
        }
        guard !edits.isEmpty else {
            return Outcome(commit: nil, summary: "nothing to do: \(ids.map(\.text).joined(separator: ", ")) already as asked", prompt: nil)
        }
        let updated = TextEdit.apply(edits, to: committed)
        let commit = try TasksCommit.commit(updated, in: context, message: message)
        let moved = WindowContext(repository: context.repository, settings: context.settings, naming: context.naming,
                                  spec: context.spec, head: commit)
        try TasksFileSync(context: moved).sync(old: committed, new: updated) { working in
            (try? working.unit(context.naming.unit).map { try update.edits(for: $0, in: working) }) ?? nil
        }
        RemoteClaims.pushProgress(context.naming, settings: context.settings, repository: context.repository) {
            FileHandle.standardError.write(Data(($0 + "\n").utf8))
        }
        if case .unblock = action {
            try ReviewLog(repository: workspace.repository, naming: context.naming).append(author: workspace.repository.defaultSignature()) { ledger in
                if case .escalate(let round)? = ledger.events.last { .reset(round: round) } else { nil }
            }
        }
        var prompt: String?
        if case .unblock = action, let window = try OpenWindows.list(workspace.repository).first(where: { $0.naming == context.naming }) {
            try WindowRestorer(workspace: workspace).rewriteFiles(window)
            prompt = window.payloadFolder.map { "\($0)/\(WindowFiles.promptName)" }
        }
        return Outcome(commit: commit, summary: message.split(separator: "\n").first.map(String.init) ?? "", prompt: prompt)
    }

    private static func ids(_ action: Action) throws -> [TaskID] {
        let texts: [String] = switch action {
        case .done(let ids): ids
        case .block(let id, _, _), .unblock(let id): [id]
        }
        guard !texts.isEmpty else { throw DispatchError.usage("name at least one step") }
        return try texts.map { text in
            guard let id = TaskID(text) else { throw DispatchError.invalidInput("'\(text)' is not a task id") }
            return id
        }
    }

    /// For a commit's subject: a title's control characters escaped, so none cuts or forges the message.
    private static func titles(_ ids: [TaskID], _ tree: TaskTree) -> String {
        ids.map { id in tree.node(id).map { "\(id) \(ControlCharacters.escaped($0.entry.title))" } ?? id.text }.joined(separator: "; ")
    }

    /// The window of the unit holding `step`: the current worktree when it is one, else the
    /// open window whose unit is the step's top-level ancestor.
    private func window(for step: TaskID, spec option: String?) throws -> WindowContext {
        if let here = try WindowContext.current(workspace.repository),
           here.naming.unit == step || here.naming.unit.isAncestor(of: step) {
            return here
        }
        let windows = try OpenWindows.list(workspace.repository, withRecords: false).filter { window in
            (option == nil || window.naming.spec == option) && (window.naming.unit == step || window.naming.unit.isAncestor(of: step))
        }
        guard let window = windows.first else {
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
}

enum StatusText {
    static func oneLine(_ text: String) -> String {
        text.split(whereSeparator: \.isNewline).joined(separator: " ")
    }
}
