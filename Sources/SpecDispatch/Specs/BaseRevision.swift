import GitKit
import SpecDispatchCore

/// The commit units are dispatched from: the tip of the base branch (`dispatch.base`, or the
/// branch of the main working tree, even when run from inside a window).
public struct BaseRevision: Sendable, Equatable {
    /// Full ref name (`refs/heads/main`), nil when the main working tree is on a detached HEAD.
    public var reference: String?
    public var commit: ObjectID
    /// The shared remote's copy of the branch (`origin/main`) when `commit` was read there: the
    /// board shows it, while units still merge into `reference`.
    public var remoteBranch: String? = nil

    /// Short name for messages: `main` (`origin/main` when read on the shared remote), or the
    /// abbreviated commit when detached.
    public var name: String {
        remoteBranch ?? reference.map(BranchName.short) ?? commit.short
    }

    /// `--base REV` wins: a branch name keeps the branch (units merge back into it), any other
    /// revision gives a detached base.
    static func resolve(in repository: Repository, settings: DispatchSettings, override: String? = nil) throws -> BaseRevision {
        if let revision = override {
            for reference in [revision, "refs/heads/\(revision)"] where reference.hasPrefix("refs/heads/") {
                if let commit = try? repository.referenceTarget(reference) { return BaseRevision(reference: reference, commit: commit) }
            }
            do {
                return BaseRevision(reference: nil, commit: try repository.resolveCommit(revision))
            } catch {
                throw DispatchError.notFound("unknown base revision '\(revision)': \(error.message)")
            }
        }
        if let branch = settings.baseBranch {
            let reference = branch.hasPrefix("refs/") ? branch : "refs/heads/\(branch)"
            guard let commit = try git({ try repository.referenceTarget(reference) }) else {
                throw DispatchError.notFound("base branch '\(branch)' (dispatch.base) does not exist")
            }
            return BaseRevision(reference: reference, commit: commit)
        }
        switch try git({ try repository.mainWorktreeHead() }) {
        case .branch(let name, let commit):
            return BaseRevision(reference: name, commit: commit)
        case .detached(let commit):
            return BaseRevision(reference: nil, commit: commit)
        case .unborn(let branch):
            let short = BranchName.short(branch)
            throw DispatchError.notFound("the base branch '\(short)' has no commits yet; commit your spec first")
        }
    }
}
