import Foundation
import GitKit

/// `init`: prepares a repository for dispatching, idempotently, writing nothing that needs
/// committing: the hooks (chaining any already there) and the ignore rule for windows' payloads.
/// `init --uninstall` puts back what was there.
public struct Initializer {
    let workspace: Workspace

    public init(workspace: Workspace) {
        self.workspace = workspace
    }

    /// What it changed, one line each; empty when everything was already in place.
    /// `committedAttributes` puts the merge attribute in `.gitattributes` (to commit) instead of `info/attributes`.
    public func run(committedAttributes: Bool = false) throws -> [String] {
        var changes = try HookInstaller(repository: workspace.repository, templates: try TemplateLibrary.locate())
            .install(binary: Self.executablePath)
        changes += try MergeDriver.register(in: workspace.repository, binary: Self.executablePath, committedAttributes: committedAttributes)
        if try IgnoreRule.install(workspace.repository) {
            changes.append("added \(IgnoreRule.line) to \(IgnoreRule.path(workspace.repository)) (payload and prompt of each window)")
        }
        RemoteClaims.updateFlag(workspace.repository, settings: workspace.settings)
        return changes
    }

    public func uninstall() throws -> [String] {
        var changes = try HookInstaller(repository: workspace.repository, templates: try TemplateLibrary.locate()).uninstall()
        changes += try MergeDriver.unregister(in: workspace.repository)
        try? FileTree.remove(RemoteClaims.flagFile(workspace.repository))
        if try IgnoreRule.uninstall(workspace.repository) {
            changes.append("removed \(IgnoreRule.line) from \(IgnoreRule.path(workspace.repository))")
        }
        let open = try OpenWindows.list(workspace.repository, withRecords: false)
        if !open.isEmpty {
            changes.append("note: \(open.count) window\(open.count == 1 ? " is" : "s are") still open; their commits no longer update tasks.md")
        }
        return changes
    }

    /// This binary, as the hooks must call it (not a `git-dispatch` link or a relative path).
    static var executablePath: String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
            ?? URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().path
    }
}
