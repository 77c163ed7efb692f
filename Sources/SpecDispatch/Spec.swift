/// A spec folder (Kiro's layout): `requirements.md`, `design.md`, `tasks.md`.
public struct Spec: Sendable, Equatable {
    /// The folder name; also the `<spec>` part of branch names.
    public var name: String
    /// Repository-relative folder, without a trailing slash.
    public var directory: String

    public var tasksPath: String { path("tasks.md") }
    public var requirementsPath: String { path("requirements.md") }
    public var designPath: String { path("design.md") }

    private func path(_ file: String) -> String { directory.isEmpty ? file : "\(directory)/\(file)" }
}
