import Foundation
import GitKit
import SpecDispatchCore

/// Where spec-dispatch keeps its state in git, and the only place these names are spelled:
/// - claims: `refs/heads/dispatch/<spec>/task-<id>`, one branch per open unit (`WindowNaming`);
/// - review logs: `refs/dispatch/reviews/<spec>/task-<id>`;
/// - a merged unit's branch, kept for history: `refs/dispatch/merged/<spec>/task-<id>`;
/// - work a forced removal took out of sight: `refs/dispatch/archive/<spec>/task-<id>/<time>-<part>`,
///   and review logs of earlier claims: `refs/dispatch/archive/reviews/<spec>/task-<id>/<tip>`;
/// - a claim on its way into a shared repository: `refs/dispatch/incoming/<uuid>`.
enum DispatchRefs {
    static let claimPrefix = WindowNaming.branchPrefix
    static let archivePrefix = "refs/dispatch/archive/"

    static func claim(_ naming: WindowNaming) -> String { naming.reference }

    static func reviews(_ naming: WindowNaming) -> String { "refs/dispatch/reviews/\(unitPath(naming))" }

    static func merged(_ naming: WindowNaming) -> String { "refs/dispatch/merged/\(unitPath(naming))" }

    static func archivedReviews(_ naming: WindowNaming, tip: ObjectID) -> String {
        "\(archivePrefix)reviews/\(unitPath(naming))/\(tip.hex)"
    }

    /// One archived commit of a window: `part` says where it was found (`branch`, `head`,
    /// `reflog-2`, `uncommitted`; `remote-<name>` for a stale claim on a remote). A window without
    /// a unit name is archived under its worktree's.
    static func archive(of owner: ArchiveOwner, stamp: String, part: String) -> String {
        switch owner {
        case .unit(let naming): "\(archivePrefix)\(unitPath(naming))/\(stamp)-\(part)"
        case .worktree(let name): "\(archivePrefix)worktrees/\(name)/\(stamp)-\(part)"
        }
    }

    static func incoming() -> String { "refs/dispatch/incoming/\(UUID().uuidString)" }

    /// A remote's copy of the claims, fetched as `refs/remotes/<remote>/dispatch/…`.
    static func remoteClaimPrefix(_ remote: String) -> String { "refs/remotes/\(remote)/dispatch/" }

    /// Refs that keep commits safe, when asking whether removing `claim` would lose any: every
    /// ref but the claim itself, review logs (empty trees), claims in flight, and remote copies
    /// of claims, which the next fetch prunes with their branch.
    static func keepsWork(_ name: String, removing claim: String?) -> Bool {
        if name == claim || name.hasPrefix("refs/dispatch/reviews/") || name.hasPrefix("refs/dispatch/incoming/") { return false }
        if name.hasPrefix("refs/remotes/"), name.split(separator: "/").dropFirst(3).first == "dispatch" { return false }
        return true
    }

    private static func unitPath(_ naming: WindowNaming) -> String { "\(naming.spec)/task-\(naming.unit)" }
}

/// Whose work an archive holds.
enum ArchiveOwner {
    case unit(WindowNaming)
    /// A window whose name is not a unit's (found by where it lives or what it had checked out).
    case worktree(String)
}
