import Foundation
import GitKit
import SpecDispatchCore

/// A claim on the shared remote that no machine will give back: its unit is merged into the
/// remote's base, or the claim has not moved for `dispatch.staleClaimDays` and no window here
/// has it, so its machine is taken for gone (a window that works moves its claim with every
/// commit under `dispatch.pushProgress`; without it, a claim stays at its dispatch commit).
public struct StaleClaim: Sendable {
    public enum Kind: Sendable {
        /// Its commits are in the remote's base branch.
        case merged(base: String)
        /// Unmoved for `days`, holding nothing but its dispatch commit.
        case unmoved(days: Int)
        /// Unmoved for `days`, with `commits` that nothing else here has.
        case holdsWork(days: Int, commits: Int)
    }

    public var remote: String
    public var window: Window
    public var kind: Kind

    public var problem: String {
        let claim = "claim \(window.naming.branch) on \(remote)"
        switch kind {
        case .merged(let base): return "\(claim) is left over: its unit is merged into \(base)"
        case .unmoved(let days), .holdsWork(let days, _):
            let work = if case .holdsWork(_, let commits) = kind { ", holding \(commits) commit\(commits == 1 ? "" : "s") nowhere else" } else { "" }
            return "\(claim) has not moved for \(days) day\(days == 1 ? "" : "s") and no window here has it\(work): its machine looks gone"
        }
    }

    public var repair: String {
        if case .holdsWork = kind { return "with --force, keep its commits under \(DispatchRefs.archivePrefix), then delete it on \(remote)" }
        return "delete it on \(remote) (the unit becomes free again)"
    }
}

/// Finds stale claims on a remote, from its claims and base branch as just fetched.
struct StaleClaims {
    let workspace: Workspace
    let claims: RemoteClaims

    func find(now: Date = Date()) throws -> [StaleClaim] {
        let repository = workspace.repository
        let base = try workspace.base()
        let branch = base.reference.map(BranchName.short)
        try claims.fetch(baseBranch: branch)
        let local = Set(try OpenWindows.list(repository, withRecords: false).map(\.naming))
        let remoteBase = branch.flatMap { claims.baseTip($0) }
        let kept = try git { try repository.references(matching: "refs/*") }.filter { DispatchRefs.keepsWork($0.name, removing: nil) }.map(\.target)
        var found: [StaleClaim] = []
        for window in try claims.windows() where !local.contains(window.naming) {
            let dispatchCommit = window.record?.commit
            if let remoteBase, let branch, window.tip != dispatchCommit, try git({ try repository.isAncestor(window.tip, of: remoteBase) }) {
                found.append(StaleClaim(remote: claims.remote, window: window, kind: .merged(base: "\(claims.remote)/\(branch)")))
                continue
            }
            let time = (try? repository.commit(window.tip))?.committer.time ?? 0
            let days = Int((now.timeIntervalSince1970 - Double(time)) / 86_400)
            guard days >= workspace.settings.staleClaimDays else { continue }
            let work = try git { try repository.commits(from: window.tip, excluding: kept) }.filter { $0 != dispatchCommit }
            found.append(StaleClaim(remote: claims.remote, window: window,
                                    kind: work.isEmpty ? .unmoved(days: days) : .holdsWork(days: days, commits: work.count)))
        }
        return found
    }
}
