import Foundation
import GitKit

/// `spec-dispatch demo`: a throw-away repository holding the example spec, committed, ready for
/// the board and for dispatching.
public enum Demo {
    public static let specName = "link-shortener"

    /// Creates the repository at `path` (which must not exist or be empty) and returns it.
    public static func createRepository(at path: String, templates: TemplateLibrary) throws -> Workspace {
        let fm = FileManager.default
        if fm.fileExists(atPath: path), !((try? fm.contentsOfDirectory(atPath: path))?.isEmpty ?? false) {
            throw DispatchError.refused("\(path) exists and is not empty")
        }
        let repository = try git { try Repository.create(at: path, initialBranch: "main") }
        let specFolder = ".kiro/specs/\(specName)"
        try fm.createDirectory(atPath: "\(path)/\(specFolder)", withIntermediateDirectories: true)
        var paths: [String] = []
        for file in TemplateLibrary.exampleFiles {
            try FileTree.writeAtomically(try templates.example(file), to: "\(path)/\(specFolder)/\(file)")
            paths.append("\(specFolder)/\(file)")
        }
        let readme = "# Link shortener\n\nA demo repository for spec-dispatch: the spec is in \(specFolder).\n"
        try Data(readme.utf8).write(to: URL(fileURLWithPath: "\(path)/README.md"))
        paths.append("README.md")
        try git {
            try repository.stage(paths: paths)
            let tree = try repository.writeIndexTree()
            let signature = repository.defaultSignature()
            let commit = try repository.createCommit(tree: tree, parents: [], message: "Add the \(specName) spec\n",
                                                     author: signature, committer: signature)
            try repository.createReference("refs/heads/main", target: commit, logMessage: "commit (initial): Add the \(specName) spec")
        }
        return Workspace(repository: repository, settings: DispatchSettings())
    }
}
