import GitKit
import SpecDispatchCore

/// The repository a command runs in, with its settings: the starting point of every command.
public final class Workspace {
    public let repository: Repository
    public let settings: DispatchSettings

    public init(repository: Repository, settings: DispatchSettings) {
        self.repository = repository
        self.settings = settings
    }

    /// Opens the repository containing `path` (any folder of it, or of one of its windows).
    public static func open(at path: String? = nil) throws -> Workspace {
        let path = path ?? FileTree.currentDirectory
        let repository: Repository
        do {
            repository = try Repository.discover(from: path)
        } catch {
            throw error.code == .notFound ? DispatchError.notARepository(path) : DispatchError.git(error)
        }
        let settings = try DispatchSettings(config: try git { try repository.config() })
        return Workspace(repository: repository, settings: settings)
    }

    /// The base branch, or the revision given with `--base`.
    public func base(override: String? = nil) throws -> BaseRevision {
        try BaseRevision.resolve(in: repository, settings: settings, override: override)
    }

    func catalog(_ source: SpecSource) -> SpecCatalog {
        SpecCatalog(repository: repository, settings: settings, source: source)
    }

    /// Parses a spec's tasks.md as found in `source`.
    func tasks(of spec: Spec, from source: SpecSource) throws -> TaskTree {
        guard let bytes = try source.read(spec.tasksPath, in: repository) else {
            throw DispatchError.notFound("\(spec.tasksPath) does not exist")
        }
        return TaskTree(bytes: bytes, options: .init(tilde: settings.tilde))
    }
}
