import SpecDispatchCore

/// `ready`: the units `next` could take now, in the order it would take them.
public struct ReadyReport {
    let board: Board

    public init(board: Board) {
        self.board = board
    }

    public func text(verbose: Bool, terminal: Terminal) -> String {
        let multiple = board.specs.count > 1
        var rows: [(id: String, detail: String, title: String, style: Style?)] = []
        for entry in board.specs {
            for (u, unit) in entry.tree.units.enumerated() {
                let reasons = entry.readiness.reasons[u]
                guard reasons.isEmpty || verbose else { continue }
                // Control characters in titles and reasons are shown escaped, before widths are measured.
                let id = multiple ? "\(ControlCharacters.escaped(entry.spec.name))/\(unit.id)" : unit.id.text
                let title = ControlCharacters.escaped(entry.tree.nodes[unit.root].entry.title)
                if reasons.isEmpty {
                    let size = unit.kind == .standalone ? "standalone" : Self.size(UnitUpdate.stepCounts(of: unit, in: entry.tree))
                    rows.append((id, "ready (\(size))", title, .boldCyan))
                } else {
                    let why = ControlCharacters.escaped(reasons.map { ReasonText.describe($0, base: board.base.name) }.joined(separator: "; "))
                    rows.append((id, why, title, .dim))
                }
            }
        }
        guard !rows.isEmpty else { return "" }
        let idWidth = rows.map { DisplayWidth.of($0.id) }.max() ?? 0
        if !verbose {
            return rows.map { "\(DisplayWidth.padded($0.id, to: idWidth))  \($0.title)" }.joined(separator: "\n") + "\n"
        }
        return rows.map { row in
            let line = "\(DisplayWidth.padded(row.id, to: idWidth))  \(row.title)"
            return line + "\n" + String(repeating: " ", count: idWidth + 2) + (row.style?.apply(row.detail, terminal) ?? row.detail)
        }.joined(separator: "\n") + "\n"
    }

    public static let schema = "spec-dispatch.ready/1"

    /// Ready units in order, then the others with their reasons.
    public func json(pretty: Bool = false) -> [UInt8] {
        var w = JSONWriter(pretty: pretty)
        w.object { w in
            w.string("schema", Self.schema)
            BoardJSON.writeBase(board.base, into: &w)
            for wanted in [true, false] {
                w.key(wanted ? "ready" : "not_ready")
                w.array { w in
                    for entry in board.specs {
                        for (u, unit) in entry.tree.units.enumerated() where entry.readiness.isReady(u) == wanted {
                            w.object { w in
                                w.string("spec", entry.spec.name)
                                w.string("id", unit.id.text)
                                w.string("title", entry.tree.nodes[unit.root].entry.title)
                                w.string("kind", unit.kind.rawValue)
                                w.strings("steps", unit.steps.map { entry.tree.nodes[$0].id.text })
                                if !wanted { ReadinessJSON.writeReasons(entry.readiness.reasons[u], base: board.base.name, into: &w) }
                            }
                        }
                    }
                }
            }
        }
        return w.bytes + [0x0A]
    }

    /// "2 steps", "1 step + 1 optional": the required steps, as the board counts them.
    static func size(_ counts: (required: Int, optional: Int)) -> String {
        "\(counts.required) step\(counts.required == 1 ? "" : "s")" + (counts.optional > 0 ? " + \(counts.optional) optional" : "")
    }
}
