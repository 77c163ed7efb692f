import GitKit
import SpecDispatchCore

/// Where windows live: `dispatch.worktreeDir`, or `<repo-parent>/<repo-name>.dispatch`, one
/// folder per spec and unit. Outside the main working tree, so no window shows up in its status.
struct WindowLayout {
    let root: String

    init(repository: Repository, settings: DispatchSettings) throws {
        guard let main = repository.mainWorktreePath() ?? repository.workingDirectory else {
            throw DispatchError.notFound("this repository has no working tree to place windows beside")
        }
        if let configured = settings.worktreeDirectory {
            let expanded = configured.hasPrefix("~/") ? (FileTree.homeDirectory + configured.dropFirst(1)) : configured
            root = FileTree.canonical(expanded.hasPrefix("/") ? expanded : "\(main)/\(expanded)")
        } else {
            let canonical = FileTree.canonical(main)
            let name = canonical.split(separator: "/").last.map(String.init) ?? "repository"
            let parent = canonical.split(separator: "/").dropLast().joined(separator: "/")
            root = "/\(parent)/\(name).dispatch".replacingOccurrences(of: "//", with: "/")
        }
    }

    func path(of naming: WindowNaming) -> String { "\(root)/\(naming.folder)" }
}
