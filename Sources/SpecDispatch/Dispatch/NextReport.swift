import SpecDispatchCore

/// `next`'s output: the window paths (one per line, like `git worktree add` users expect to
/// script with), or JSON (`spec-dispatch.next/1`).
public enum NextReport {
    public static let schema = "spec-dispatch.next/1"

    public static func text(_ units: [DispatchedUnit]) -> String {
        units.map { $0.window + "\n" }.joined()
    }

    public static func json(_ units: [DispatchedUnit]) -> [UInt8] {
        var w = JSONWriter(pretty: false)
        w.object { w in
            w.string("schema", schema)
            w.key("dispatched")
            w.array { w in
                for unit in units {
                    w.object { w in
                        w.string("spec", unit.spec)
                        w.string("unit", unit.unit.text)
                        w.string("title", unit.title)
                        w.string("branch", unit.branch)
                        w.string("worktree", unit.window)
                        w.string("payload", unit.payload)
                        w.string("prompt", unit.prompt)
                        BoardJSON.writeBase(unit.base, into: &w)
                    }
                }
            }
        }
        return w.bytes + [0x0A]
    }
}
