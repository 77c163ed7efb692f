import SpecDispatchCore

/// What `doctor` prints: each problem, its repair, and whether `--fix` made it.
public struct DoctorReport {
    let entries: [(finding: Doctor.Finding, repaired: Bool)]

    /// `left` is what `fix` could not repair (all of `findings` when nothing was fixed).
    public init(findings: [Doctor.Finding], left: [Doctor.Finding]) {
        let unrepaired = Set(left.map(\.problem))
        entries = findings.map { ($0, !unrepaired.contains($0.problem)) }
    }

    public func text() -> String {
        entries.map { "\($0.finding.problem): \($0.repaired ? "repaired" : "repair") — \($0.finding.repair)\n" }.joined()
    }

    /// Schema `spec-dispatch.doctor/1` (docs/json.md).
    public func json() -> [UInt8] {
        var w = JSONWriter()
        w.object { w in
            w.string("schema", "spec-dispatch.doctor/1")
            w.key("problems")
            w.array { w in
                for entry in entries {
                    w.object { w in
                        w.string("problem", entry.finding.problem)
                        w.string("repair", entry.finding.repair)
                        w.bool("repaired", entry.repaired)
                    }
                }
            }
        }
        return w.bytes + [0x0A]
    }
}
