import Foundation
import GitKit

/// Who is working a window right now: `.dispatch/job`, written before an agent, fix agent or
/// reviewer is let run and removed once it is gone. A `run` started later (after a kill, a
/// reboot, another day) reads it to tell a live agent, which it watches, from one that is gone,
/// which it relaunches; `resume` reads it so as not to start a second agent in the same window.
struct JobRecord: Equatable, Sendable {
    enum Role: String, Sendable {
        case agent, fix, review

        /// As events say it: "agent", "fix agent", "reviewer".
        var words: String {
            switch self {
            case .agent: "agent"
            case .fix: "fix agent"
            case .review: "reviewer"
            }
        }
    }

    var role: Role
    var process: ProcessIdentity
    /// Its process group is its own (stop it by the group).
    var ownGroup: Bool
    /// The branch tip when it started: what it did is judged against it.
    var startTip: ObjectID?
    /// What started it: `run <pid>`, `next`, `resume`, `tmux`.
    var startedBy: String
    var since: Date

    static let fileName = "job"

    static func path(in window: String) -> String { "\(window)/\(IgnoreRule.folder)/\(fileName)" }

    static func read(in window: String) -> JobRecord? {
        guard let bytes = FileTree.contents(path(in: window)) else { return nil }
        var fields: [String: String] = [:]
        for line in String(decoding: bytes, as: UTF8.self).split(separator: "\n") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            fields[String(line[..<colon])] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        guard let role = fields["role"].flatMap(Role.init(rawValue:)), let pid = fields["pid"].flatMap(Int32.init),
              let start = fields["start"].flatMap(UInt64.init) else { return nil }
        return JobRecord(role: role, process: ProcessIdentity(pid: pid, start: start), ownGroup: fields["group"] == "own",
                         startTip: fields["tip"].flatMap { ObjectID(hex: $0) }, startedBy: fields["by"] ?? "",
                         since: fields["since"].flatMap { try? Date($0, strategy: .iso8601) } ?? Date(timeIntervalSince1970: 0))
    }

    func write(in window: String) throws {
        let text = """
            role: \(role.rawValue)
            pid: \(process.pid)
            start: \(process.start)
            group: \(ownGroup ? "own" : "shared")
            tip: \(startTip?.hex ?? "")
            by: \(startedBy)
            since: \(since.formatted(.iso8601))

            """
        try FileTree.writeAtomically(Array(text.utf8), to: Self.path(in: window))
    }

    static func remove(in window: String) {
        try? FileManager.default.removeItem(atPath: path(in: window))
    }

    /// Sends `signal` to the recorded process, and to its group when the group is its own.
    func send(_ signal: Int32) {
        guard process.isRunning else { return }
        if ownGroup { kill(-process.pid, signal) } else { kill(process.pid, signal) }
    }
}
