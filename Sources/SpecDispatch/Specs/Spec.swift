import GitKit

/// A spec folder: Kiro's `requirements.md`, `design.md`, `tasks.md`, or Spec Kit's `spec.md`,
/// `plan.md`, `tasks.md`.
public struct Spec: Sendable, Equatable {
    /// The folder name; also the `<spec>` part of branch names.
    public var name: String
    /// Repository-relative folder, without a trailing slash.
    public var directory: String

    public var tasksPath: String { path("tasks.md") }

    /// The requirements and design documents as `commit` holds them: Kiro's names, else Spec
    /// Kit's (`spec.md`, `plan.md`) when only those exist.
    public func documents(at commit: ObjectID, in repository: Repository) -> (requirements: String, design: String) {
        let exists = { (path: String) in ((try? repository.blobID(atPath: path, inCommit: commit)) ?? nil) != nil }
        let pick = { (kiro: String, specKit: String) in
            exists(path(kiro)) || !exists(path(specKit)) ? path(kiro) : path(specKit)
        }
        return (pick("requirements.md", "spec.md"), pick("design.md", "plan.md"))
    }

    private func path(_ file: String) -> String { directory.isEmpty ? file : "\(directory)/\(file)" }
}
