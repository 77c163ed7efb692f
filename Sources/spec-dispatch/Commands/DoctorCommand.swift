import ArgumentParser
import SpecDispatch

struct DoctorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doctor",
        abstract: "Find leftovers of interrupted dispatches (claims without windows, windows without claims) and repair them.",
        discussion: "Exits 8 when problems remain. Repairs never lose work: a claim with commits gets its window back."
    )

    @Flag(name: .long, help: "Repair what can be repaired without losing work.")
    var fix = false

    @Flag(name: .long, help: "With --fix, also remove windows that hold work no branch has (it is first kept under refs/dispatch/archive/).")
    var force = false

    @OptionGroup var output: JSONOption

    @Option(name: .long, help: ArgumentHelp("Also find claims on this remote that no machine will give back (merged, or unmoved for dispatch.staleClaimDays with no window here).", valueName: "name"))
    var remote: String?

    func run() throws {
        let doctor = Doctor(workspace: try Workspace.open())
        let (findings, left) = fix ? try doctor.repair(force: force, remote: remote) : (try doctor.diagnose(remote: remote), nil)
        let report = DoctorReport(findings: findings, left: left)
        if output.json { Output.write(report.json()) } else { Output.write(report.text()) }
        if !(left.map(\.isEmpty) ?? findings.isEmpty) { throw DispatchError.reported(.problemsFound) }
    }
}
