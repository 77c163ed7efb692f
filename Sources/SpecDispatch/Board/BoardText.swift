import SpecDispatchCore

/// The board for people: one row per unit and per step, aligned, with a summary line per spec.
public struct BoardText {
    let board: Board
    let terminal: Terminal

    public init(board: Board, terminal: Terminal) {
        self.board = board
        self.terminal = terminal
    }

    private struct Row {
        var depth: Int
        var checkbox: String
        var id: String
        var state: String
        var style: Style?
        var progress: String
        var title: String
        var note: String?
        var isWindow = false
    }

    public func render() -> String {
        var out: [String] = []
        if let merge = board.interruptedMerge {
            out.append(Style.yellow.apply("warning: the merge of \(merge.spec)/\(merge.unit) into \(BranchName.short(merge.base)) was interrupted; `spec-dispatch doctor --fix` finishes it", terminal))
        }
        for (n, entry) in board.specs.enumerated() {
            if n > 0 { out.append("") }
            out.append(Style.bold.apply(shown(entry.spec.name), terminal) + "  \(shown(entry.spec.tasksPath)) at \(board.base.name) (\(board.base.commit.short))")
            if entry.workingTreeDiffers {
                out.append(Style.yellow.apply("note: tasks.md has uncommitted changes; the board shows \(board.base.name)", terminal))
            }
            out += table(rows(entry))
            out.append(summary(entry))
        }
        if !board.otherWindows.isEmpty {
            out.append("")
            out.append("Windows of units not on this board:")
            out += board.otherWindows.map { "  \(shown($0.naming.spec))/\($0.naming.unit)  " + WindowText.line($0) }
        }
        return out.joined(separator: "\n") + "\n"
    }

    private func rows(_ entry: Board.SpecEntry) -> [Row] {
        let tree = entry.tree
        var rows: [Row] = []
        for (u, unit) in tree.units.enumerated() {
            let state = entry.state(ofUnit: u)
            let open = entry.windows[unit.id]
            let status = entry.shownStatus
            let work = unit.workItems.filter { tree.nodes[$0].isStep }
            let required = work.filter { !UnitUpdate.isOptional($0, in: unit, tree: tree) }
            let counted = required.isEmpty ? work : required
            let done = counted.filter { status($0) == .completed }.count
            let root = tree.nodes[unit.root]
            rows.append(Row(depth: 0, checkbox: checkbox(status(unit.root)), id: unit.id.text,
                            state: state.words, style: style(state), progress: "\(done)/\(counted.count)",
                            title: shown(root.entry.title) + (root.entry.isOptional ? " (optional)" : ""),
                            note: (open?.mergeConflict.map { "approved, but merging conflicts in \(ReasonText.list($0)); finish with `git merge \(open!.window.naming.branch)` on \(board.base.name), then `spec-dispatch gc`" }
                                ?? blockedNote(root, open: open) ?? ReasonText.brief(entry.readiness.reasons[u], base: board.base.name)).map(shown)))
            if let open {
                rows.append(Row(depth: 1, checkbox: "", id: "", state: "", style: nil, progress: "",
                                title: WindowText.line(open.window), note: nil, isWindow: true))
            }
            for step in unit.steps {
                let node = tree.nodes[step]
                let status = status(step)
                rows.append(Row(depth: tree.depth(of: step), checkbox: checkbox(status), id: node.id.text,
                                state: status.words, style: style(status), progress: "",
                                title: shown(node.entry.title) + (node.entry.isOptional ? " (optional)" : "") + tags(node.entry),
                                note: blockedNote(node, open: open).map(shown)))
            }
        }
        return rows
    }

    /// Spec Kit's `[P]` and `[USn]`, which the title no longer carries (cc-sdd's ` (P)` stays in its title).
    private func tags(_ entry: TaskEntry) -> String {
        var tags = ""
        if entry.metadata.isParallel, !entry.title.hasSuffix("(P)") { tags += " [P]" }
        if let story = entry.metadata.story { tags += " [\(shown(story))]" }
        return tags
    }

    /// An open unit's step shows the block committed on its branch, with who set it.
    private func blockedNote(_ node: TaskNode, open: Board.OpenUnit?) -> String? {
        if let open {
            return open.blocked[node.id].map { "blocked: \($0.reason)" + ($0.by.map { " (by \($0))" } ?? "") }
        }
        return node.entry.metadata.blocked.map { "blocked: \($0.reason)" }
    }

    /// Titles, reasons, names and paths come from files and commits anyone can write: their
    /// control characters are shown escaped, before widths are measured.
    private func shown(_ text: String) -> String { ControlCharacters.escaped(text) }

    private func table(_ rows: [Row]) -> [String] {
        let lead = { (r: Row) in String(repeating: "  ", count: r.depth) + r.checkbox + " " + r.id }
        let tableRows = rows.filter { !$0.isWindow }
        let leadWidth = tableRows.map { DisplayWidth.of(lead($0)) }.max() ?? 0
        let stateWidth = tableRows.map { DisplayWidth.of($0.state) }.max() ?? 0
        let progressWidth = rows.map { $0.progress.count }.max() ?? 0
        return rows.map { r in
            if r.isWindow { return "      " + Style.dim.apply(r.title, terminal) }
            let state = DisplayWidth.padded(r.state, to: stateWidth)
            let progress = String(repeating: " ", count: progressWidth - r.progress.count) + r.progress
            let prefix = "\(DisplayWidth.padded(lead(r), to: leadWidth))  \(state)  \(progress)  "
            var title = r.title + (r.note.map { " — \($0)" } ?? "")
            if let width = terminal.width { title = DisplayWidth.truncated(title, to: max(20, width - DisplayWidth.of(prefix))) }
            let styledPrefix = "\(DisplayWidth.padded(lead(r), to: leadWidth))  \(r.style?.apply(state, terminal) ?? state)  \(progress)  "
            if let note = r.note, title.hasSuffix(" — \(note)") {
                return styledPrefix + String(title.dropLast(note.count + 3)) + Style.dim.apply(" — \(note)", terminal)
            }
            return styledPrefix + title
        }
    }

    private func summary(_ entry: Board.SpecEntry) -> String {
        let units = entry.tree.units.indices.map { entry.state(ofUnit: $0) }
        let unitCounts = UnitState.allCases.compactMap { state -> String? in
            let n = units.filter { $0 == state }.count
            return n == 0 ? nil : "\(n) \(state.words)"
        }
        let statuses = entry.tree.checkboxTasks.map(entry.shownStatus)
        let taskCounts = TaskStatus.allCases.reversed().compactMap { status -> String? in
            let n = statuses.filter { $0 == status }.count
            return n == 0 ? nil : "\(n) \(status.words)"
        }
        let unitPart = "\(units.count) unit\(units.count == 1 ? "" : "s")" + (unitCounts.isEmpty ? "" : ": " + unitCounts.joined(separator: ", "))
        let taskPart = "\(statuses.count) task\(statuses.count == 1 ? "" : "s")" + (taskCounts.isEmpty ? "" : ": " + taskCounts.joined(separator: ", "))
        return "\(unitPart) · \(taskPart)"
    }

    private func checkbox(_ status: TaskStatus) -> String {
        switch status {
        case .completed: "[x]"
        case .blocked: "[!]"
        case .notStarted: "[ ]"
        default: "[-]"
        }
    }

    private func style(_ state: UnitState) -> Style? {
        switch state {
        case .completed: .green
        case .ready: .boldCyan
        case .inProgress, .open, .pendingReview, .underReview, .approved: .yellow
        case .blocked, .fixRequired: .red
        case .waiting, .optional: .dim
        }
    }

    private func style(_ status: TaskStatus) -> Style? {
        switch status {
        case .completed: .green
        case .blocked, .fixRequired: .red
        case .notStarted: nil
        default: .yellow
        }
    }
}
