@testable import SpecDispatchCore

/// Builds a tree from lines joined with LF (tests read better as line arrays).
func tree(_ lines: String..., tilde: TildeMeaning = .queued) -> TaskTree {
    TaskTree(bytes: Array(lines.joined(separator: "\n").utf8), options: .init(tilde: tilde))
}

extension TaskTree {
    func ids() -> [String] { nodes.map(\.id.text) }
    func entry(_ id: String) -> TaskEntry? { node(TaskID(id)!)?.entry }
    func codes() -> [String] { diagnostics.map(\.code) }
    func errors() -> [Diagnostic] { diagnostics.filter { $0.severity == .error } }
}
