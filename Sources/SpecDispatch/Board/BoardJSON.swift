import SpecDispatchCore

/// `status --json`: schema `spec-dispatch.status/1`, documented in docs/json.md.
public enum BoardJSON {
    public static let schema = "spec-dispatch.status/1"

    public static func render(_ board: Board, pretty: Bool = false) -> [UInt8] {
        let taskCount = board.specs.reduce(0) { $0 + $1.tree.nodes.count }
        var w = JSONWriter(pretty: pretty, capacity: 256 * taskCount + 1024)
        w.object { w in
            w.string("schema", schema)
            writeBase(board.base, into: &w)
            w.key("interrupted_merge")
            if let merge = board.interruptedMerge {
                w.object { w in
                    w.string("unit", "\(merge.spec)/\(merge.unit)")
                    w.string("base", merge.base)
                    w.string("from", merge.from)
                    w.string("to", merge.to)
                }
            } else {
                w.null()
            }
            w.key("specs")
            w.array { w in
                for entry in board.specs { writeSpec(entry, base: board.base, into: &w) }
            }
        }
        return w.bytes + [0x0A]
    }

    static func writeBase(_ base: BaseRevision, into w: inout JSONWriter) {
        w.key("base")
        w.object { w in
            w.string("name", base.name)
            w.string("ref", base.reference)
            w.string("commit", base.commit.hex)
        }
    }

    private static func writeSpec(_ entry: Board.SpecEntry, base: BaseRevision, into w: inout JSONWriter) {
        let tree = entry.tree
        w.object { w in
            w.string("name", entry.spec.name)
            w.string("tasks_file", entry.spec.tasksPath)
            w.bool("working_tree_differs", entry.workingTreeDiffers)
            writeSummary(entry, into: &w)
            w.key("units")
            w.array { w in
                for (u, unit) in tree.units.enumerated() {
                    writeUnit(unit, index: u, entry: entry, base: base, into: &w)
                }
            }
            writeDiagnostics(tree.diagnostics, into: &w)
        }
    }

    private static func writeUnit(_ unit: DispatchUnit, index u: Int, entry: Board.SpecEntry, base: BaseRevision,
                                  into w: inout JSONWriter) {
        let tree = entry.tree
        let root = tree.nodes[unit.root]
        let open = entry.windows[unit.id]
        w.object { w in
            w.string("id", unit.id.text)
            w.string("title", root.entry.title)
            w.int("line", root.entry.line)
            w.string("kind", unit.kind.rawValue)
            w.string("status", entry.shownStatus(unit.root).rawValue)
            w.string("state", entry.state(ofUnit: u).rawValue)
            w.bool("optional", root.entry.isOptional)
            w.bool("ready", entry.readiness.isReady(u))
            ReadinessJSON.writeReasons(entry.readiness.reasons[u], base: base.name, into: &w)
            w.key("window")
            if let open { writeWindow(open, into: &w) } else { w.null() }
            w.key("steps")
            w.array { w in
                for step in unit.steps { writeTask(step, entry: entry, into: &w) }
            }
        }
    }

    static func writeWindow(_ open: Board.OpenUnit, into w: inout JSONWriter) {
        let window = open.window
        w.object { w in
            w.string("branch", window.naming.branch)
            w.string("tip", window.tip.hex)
            w.string("worktree", window.worktree?.path)
            w.bool("complete", window.isComplete)
            w.string("agent", window.record?.agent)
            w.int("dispatched_at", window.record.map { Int($0.time) })
            w.bool("done_on_branch", open.isDoneOnBranch)
            w.strings("merge_conflicts", open.mergeConflict ?? [])
            w.key("blocked")
            w.array { w in
                for (id, block) in open.blocked.sorted(by: { $0.key < $1.key }) {
                    w.object { w in
                        w.string("step", id.text)
                        w.string("reason", block.reason)
                        w.string("by", block.by)
                    }
                }
            }
        }
    }

    /// A step's status: as committed on its unit's branch when the unit is open, else at the base.
    private static func writeTask(_ index: Int, entry: Board.SpecEntry, into w: inout JSONWriter) {
        let node = entry.tree.nodes[index]
        w.object { w in
            w.string("id", node.id.text)
            w.string("title", node.entry.title)
            w.int("line", node.entry.line)
            w.string("status", entry.shownStatus(index).rawValue)
            w.bool("optional", node.entry.isOptional)
            w.string("blocked_reason", node.entry.metadata.blocked?.reason)
        }
    }

    private static func writeSummary(_ entry: Board.SpecEntry, into w: inout JSONWriter) {
        w.key("summary")
        w.object { w in
            w.key("units")
            w.object { w in
                w.int("total", entry.tree.units.count)
                var counts: [UnitState: Int] = [:]
                for u in entry.tree.units.indices { counts[entry.state(ofUnit: u), default: 0] += 1 }
                for state in UnitState.allCases { w.key(text: state.rawValue); w.int(counts[state] ?? 0) }
            }
            w.key("tasks")
            w.object { w in
                let tasks = entry.tree.checkboxTasks
                w.int("total", tasks.count)
                var counts: [TaskStatus: Int] = [:]
                for i in tasks { counts[entry.shownStatus(i), default: 0] += 1 }
                for status in TaskStatus.allCases { w.key(text: status.rawValue); w.int(counts[status] ?? 0) }
            }
        }
    }

    static func writeDiagnostics(_ diagnostics: [Diagnostic], into w: inout JSONWriter) {
        w.key("diagnostics")
        w.array { w in
            for d in diagnostics {
                w.object { w in
                    w.string("severity", d.severity.rawValue)
                    w.int("line", d.line)
                    w.string("code", d.code)
                    w.string("message", d.message)
                }
            }
        }
    }
}

/// Readiness reasons as JSON objects: `{"kind": "waiting_for", "tasks": ["2"], "message": "…"}`.
enum ReadinessJSON {
    static func writeReasons(_ reasons: [Readiness.Reason], base: String, into w: inout JSONWriter) {
        w.key("reasons")
        w.array { w in
            for reason in reasons {
                w.object { w in
                    switch reason {
                    case .completed: w.string("kind", "completed")
                    case .optional: w.string("kind", "optional")
                    case .claimed: w.string("kind", "open_window")
                    case .pendingReview: w.string("kind", "pending_review")
                    case .blocked(let tasks):
                        w.string("kind", "blocked")
                        w.strings("tasks", tasks.map(\.id.text))
                    case .inProgressOutside(let ids):
                        w.string("kind", "in_progress_outside")
                        w.strings("tasks", ids.map(\.text))
                    case .waitingFor(let ids):
                        w.string("kind", "waiting_for")
                        w.strings("tasks", ids.map(\.text))
                    case .waitingForWave(let wave, let ids):
                        w.string("kind", "waiting_for_wave")
                        w.int("wave", wave)
                        w.strings("tasks", ids.map(\.text))
                    case .writesOpenFiles(let files):
                        w.string("kind", "writes_open_files")
                        w.strings("files", files.map(\.path))
                        w.strings("units", Array(Set(files.flatMap(\.writers))).sorted())
                    }
                    w.string("message", ReasonText.describe(reason, base: base))
                }
            }
        }
    }
}
