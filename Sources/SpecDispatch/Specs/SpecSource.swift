import GitKit

/// Where spec files are read from: a commit (the base branch, for the board) or the working
/// tree (for `validate`, which checks what the user is editing).
public enum SpecSource: Sendable, Equatable {
    case commit(ObjectID)
    case workingTree

    /// A symbolic link is refused: read through git it is its target's name, and edits of its
    /// marks would replace the link by a file.
    func read(_ path: String, in repository: Repository) throws -> [UInt8]? {
        switch self {
        case .commit(let commit):
            guard let blob = try git({ try repository.blob(atPath: path, inCommit: commit) }) else { return nil }
            if blob.isSymbolicLink { throw Self.symbolicLink(path) }
            return blob.bytes
        case .workingTree:
            if let root = repository.workingDirectory, FileTree.isSymbolicLink("\(root)/\(path)") { throw Self.symbolicLink(path) }
            return try git { try repository.readWorkingTreeFile(path) }
        }
    }

    /// Whether a file is there, a symbolic link included: finding specs must not stop at one
    /// (its own reading refuses it, other specs go on).
    func exists(_ path: String, in repository: Repository) throws -> Bool {
        switch self {
        case .commit(let commit): return try git { try repository.blobID(atPath: path, inCommit: commit) } != nil
        case .workingTree:
            guard let root = repository.workingDirectory else { return false }
            return FileTree.exists("\(root)/\(path)") || FileTree.isSymbolicLink("\(root)/\(path)")
        }
    }

    private static func symbolicLink(_ path: String) -> DispatchError {
        .invalidInput("\(path): is a symbolic link; spec-dispatch edits tasks.md's marks in place, so it must be a regular file (move the file here, and link the other way if something else needs it)")
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
