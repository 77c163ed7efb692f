import Foundation
import GitKit

/// A git repository inside a window that is not the window's own: a submodule (whose git folder
/// git keeps in the window's admin folder, under `modules/`), or a repository someone made or
/// cloned in the window (ignored or not). Its commits are in its own object store, so nothing of
/// this repository's can keep them: removing the window would lose what it holds that none of
/// its remotes has, and its uncommitted changes.
struct NestedRepository {
    /// Where it is, relative to the window (for a submodule, its path in the window).
    var path: String
    /// What to keep aside when a forced removal takes the window: the repository's folder, or
    /// the submodule's git folder.
    var keep: String
    /// What it holds: "2 commits no remote has", "uncommitted changes".
    var holds: String
    /// `keep` is a submodule's git folder, whose working tree goes with the window.
    var isGitDirectory = false
}

enum NestedRepositories {
    /// The nested repositories of `worktree` (admin folder `admin`) that hold work.
    static func withWork(in worktree: WorktreeInfo, admin: String) -> [NestedRepository] {
        var found: [NestedRepository] = []
        for gitDirectory in moduleGitDirectories(under: admin + "/modules") {
            guard let repository = try? Repository.open(at: gitDirectory), let holds = work(of: repository) else { continue }
            let path = repository.workingDirectory.map { relative($0, to: worktree.path) } ?? gitDirectory
            found.append(NestedRepository(path: path, keep: gitDirectory, holds: holds, isGitDirectory: true))
        }
        for folder in repositoryFolders(in: worktree.path) {
            guard let repository = try? Repository.open(at: folder), let holds = work(of: repository) else { continue }
            found.append(NestedRepository(path: relative(folder, to: worktree.path), keep: folder, holds: holds))
        }
        return found
    }

    /// Commits on its branches or HEAD that none of its remote-tracking branches or tags has,
    /// and uncommitted changes; nil when it holds neither.
    private static func work(of repository: Repository) -> String? {
        guard let references = try? repository.references(matching: "refs/*") else { return "a repository that cannot be read" }
        let kept = references.filter { $0.name.hasPrefix("refs/remotes/") || $0.name.hasPrefix("refs/tags/") }.map(\.target)
        var heads = references.filter { !$0.name.hasPrefix("refs/remotes/") && !$0.name.hasPrefix("refs/tags/") }.map(\.target)
        switch try? repository.head() {
        case .branch(_, let commit)?, .detached(let commit)?: heads.append(commit)
        default: break
        }
        var holds: [String] = []
        let commits = (try? repository.commits(from: heads, excluding: kept))?.count ?? 0
        if commits > 0 { holds.append("\(commits) commit\(commits == 1 ? "" : "s") no remote has") }
        if repository.workingDirectory != nil, let changes = try? repository.statusEntries(includeUntracked: true), !changes.isEmpty {
            holds.append("uncommitted changes")
        }
        return holds.isEmpty ? nil : holds.joined(separator: " and ")
    }

    /// Git folders of submodules (and of their own submodules) under a `modules` folder.
    private static func moduleGitDirectories(under folder: String) -> [String] {
        FileTree.folders(in: folder).flatMap { name -> [String] in
            let path = "\(folder)/\(name)"
            let isGitDirectory = FileTree.exists(path + "/HEAD") && FileTree.isDirectory(path + "/objects")
            // A submodule named a/b has its git folder at modules/a/b.
            return (isGitDirectory ? [path] + moduleGitDirectories(under: path + "/modules") : moduleGitDirectories(under: path))
        }
    }

    /// Folders below `root` with a `.git` folder of their own, not looking inside them (their own
    /// nested repositories go with them). Submodule checkouts have a `.git` file and are found
    /// through their git folders instead; links are not followed.
    private static func repositoryFolders(in root: String) -> [String] {
        var found: [String] = []
        var pending = [root]
        while let folder = pending.popLast() {
            for name in (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [] where name != ".git" {
                let path = "\(folder)/\(name)"
                guard !FileTree.isSymbolicLink(path), FileTree.isDirectory(path) else { continue }
                if FileTree.isDirectory(path + "/.git") { found.append(path) } else { pending.append(path) }
            }
        }
        return found.sorted()
    }

    private static func relative(_ path: String, to root: String) -> String {
        path.hasPrefix(root + "/") ? String(path.dropFirst(root.count + 1)) : path
    }
}
