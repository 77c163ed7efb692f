import ArgumentParser
import SpecDispatch
import SpecDispatchCore

struct DoctorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doctor",
        abstract: "Find leftovers of interrupted dispatches (claims without windows, windows without claims) and repair them.",
        discussion: "Exits 8 when problems remain. Repairs never lose work: a claim with commits gets its window back."
    )

    @Flag(name: .long, help: "Repair what can be repaired without losing work.")
    var fix = false

    @Flag(name: .long, help: "With --fix, also remove windows without claims that have uncommitted changes.")
    var force = false

    @Flag(name: .long, help: "Print JSON for machines.")
    var json = false

    func run() throws {
        let doctor = Doctor(workspace: try Workspace.open())
        let findings = try doctor.diagnose()
        let left = fix ? try doctor.fix(findings, force: force) : findings
        if json {
            var w = JSONWriter()
            w.object { w in
                w.string("schema", "spec-dispatch.doctor/1")
                w.key("problems")
                w.array { w in
                    for finding in findings {
                        w.object { w in
                            w.string("problem", finding.problem)
                            w.string("repair", finding.repair)
                            w.bool("repaired", fix && !left.contains { $0.problem == finding.problem })
                        }
                    }
                }
            }
            Output.write(w.bytes + [0x0A])
        } else {
            for finding in findings {
                let done = fix && !left.contains { $0.problem == finding.problem }
                Output.write("\(finding.problem): \(done ? "repaired" : "repair") — \(finding.repair)\n")
            }
        }
        if !left.isEmpty { Output.exit(ExitCode.problemsFound.rawValue) }
    }
}
