import GitKit
import SpecDispatchCore

/// The view of a repository shared through a remote: its claims fetched, and the base taken
/// from the remote's base branch (the shared truth of what is completed). Without a remote,
/// the local base and no other claims.
public struct SharedView {
    public var base: BaseRevision
    public var windows: [Window]
    var claims: RemoteClaims?

    public static func open(_ workspace: Workspace, remote: String?, base override: String?) throws -> SharedView {
        let local = try workspace.base(override: override)
        guard let remote else { return SharedView(base: local, windows: [], claims: nil) }
        let claims = try RemoteClaims(repository: workspace.repository, remote: remote)
        let branch = local.reference.map(BranchName.short)
        try claims.fetch(baseBranch: branch)
        var base = local
        if override == nil, let branch, let tip = claims.baseTip(branch) {
            base.commit = tip
            base.remoteBranch = "\(remote)/\(branch)"
        }
        return SharedView(base: base, windows: try claims.windows(), claims: claims)
    }
}
