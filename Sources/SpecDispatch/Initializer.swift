import GitKit

/// `init`: prepares a repository for dispatching. Idempotent; writes nothing that needs
/// committing (only `info/exclude` for now).
public struct Initializer {
    let workspace: Workspace

    public init(workspace: Workspace) {
        self.workspace = workspace
    }

    /// What it changed, one line each; empty when everything was already in place.
    public func run() throws -> [String] {
        var changes: [String] = []
        if try IgnoreRule.install(workspace.repository) {
            changes.append("added \(IgnoreRule.line) to \(IgnoreRule.path(workspace.repository)) (payload and prompt of each window)")
        }
        return changes
    }
}
