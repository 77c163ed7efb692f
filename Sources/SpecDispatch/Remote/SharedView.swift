import GitKit
import SpecDispatchCore

/// The view of a repository shared through a remote: its claims fetched, and the base taken
/// from the remote's base branch (the shared truth of what is completed). Without a remote,
/// the local base and no other claims.
public struct SharedView {
    public var base: BaseRevision
    public var windows: [Window]
    var claims: RemoteClaims?

    /// - Parameter unreachable: for a reader (`status`, `ready`): told why the remote could not be
    ///   fetched, the view is then what was fetched last. Without it, that failure is thrown.
    public static func open(_ workspace: Workspace, remote: String?, base override: String?,
                            unreachable: ((DispatchError) -> Void)? = nil) throws -> SharedView {
        let local = try workspace.base(override: override)
        guard let remote else { return SharedView(base: local, windows: [], claims: nil) }
        let claims = try RemoteClaims(repository: workspace.repository, remote: remote)
        let branch = local.reference.map(BranchName.short)
        do {
            try claims.fetch(baseBranch: branch)
        } catch let error as DispatchError {
            guard let unreachable else { throw error }
            unreachable(error)
        }
        var base = local
        if override == nil, let branch, let tip = claims.baseTip(branch) {
            base.commit = tip
            base.remoteBranch = "\(remote)/\(branch)"
        }
        return SharedView(base: base, windows: try claims.windows(), claims: claims)
    }
}
