import Foundation
import SpecDispatchCore

/// A window in one line for the board: where it is, its branch, agent and age; the agent's name
/// and the path shown with their control characters escaped.
enum WindowText {
    static func line(_ window: Window, now: Date = Date()) -> String {
        var parts: [String] = []
        if let worktree = window.worktree {
            parts.append(worktree.path)
        } else if let remote = window.remote {
            parts.append("on another machine (\(remote))")
        } else {
            parts.append("no worktree (run `spec-dispatch doctor`)")
        }
        parts.append(window.naming.branch)
        if let agent = window.record?.agent { parts.append("agent \(agent)") }
        if let time = window.record?.time { parts.append(age(seconds: Int(now.timeIntervalSince1970) - Int(time))) }
        if window.worktree != nil, !window.isComplete { parts.append("incomplete (run `spec-dispatch doctor`)") }
        return "window " + ControlCharacters.escaped(parts.joined(separator: " · "))
    }

    static func age(seconds: Int) -> String {
        switch max(0, seconds) {
        case ..<60: "just now"
        case ..<3600: "\(seconds / 60) min ago"
        case ..<(2 * 86400): "\(seconds / 3600) h ago"
        default: "\(seconds / 86400) days ago"
        }
    }
}
