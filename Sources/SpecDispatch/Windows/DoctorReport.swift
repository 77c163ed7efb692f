import SpecDispatchCore

/// What `doctor` prints: each problem, its repair, and whether `--fix` made it.
public struct DoctorReport {
    let entries: [(finding: Doctor.Finding, repaired: Bool, reason: String?)]

    /// `left` is what `fix` could not repair; without `--fix`, nothing was repaired.
    public init(findings: [Doctor.Finding], left: [Doctor.Unrepaired]?) {
        let unrepaired = Dictionary(left?.map { ($0.finding.problem, $0.reason) } ?? [], uniquingKeysWith: { a, _ in a })
        entries = findings.map { finding in
            (finding, left != nil && unrepaired[finding.problem] == nil, unrepaired[finding.problem] ?? nil)
        }
    }

    public func text() -> String {
        entries.map { entry in
            let status = entry.repaired ? "repaired" : entry.reason != nil ? "not repaired" : "repair"
            return ControlCharacters.escapedLines("\(entry.finding.problem): \(status) — \(entry.reason ?? entry.finding.repair)") + "\n"
        }.joined()
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
                        if let reason = entry.reason { w.string("reason", reason) }
                    }
                }
            }
        }
        return w.bytes + [0x0A]
    }
}
