import GitKit

/// Where spec files are read from: a commit (the base branch, for the board) or the working
/// tree (for `validate`, which checks what the user is editing).
public enum SpecSource: Sendable, Equatable {
    case commit(ObjectID)
    case workingTree

    func read(_ path: String, in repository: Repository) throws -> [UInt8]? {
        switch self {
        case .commit(let commit): try git { try repository.blob(atPath: path, inCommit: commit)?.bytes }
        case .workingTree: try git { try repository.readWorkingTreeFile(path) }
        }
    }

    /// Names of the sub-folders of `directory`.
    func folders(in directory: String, of repository: Repository) throws -> [String] {
        switch self {
        case .commit(let commit):
            return try git { try repository.treeEntries(atPath: directory, inCommit: commit) }
                .filter { $0.kind == .tree }.map(\.name)
        case .workingTree:
            guard let root = repository.workingDirectory else { return [] }
            return FileTree.folders(in: directory.isEmpty ? root : "\(root)/\(directory)")
        }
    }
}
