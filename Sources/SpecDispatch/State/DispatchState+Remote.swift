import Foundation
import GitKit
import SpecDispatchCore

/// A claim shared through a remote leaves the remote with its window. After `remove` gave a
/// unit back here, the claim the remote holds for it is deleted too, but only the one this
/// machine pushed: a lease on a value the removed claim had (its tip, or a commit below it that
/// `dispatch.pushProgress` pushed), so another machine's claim made meanwhile is never deleted.
/// A unit merged here gets its base branch pushed there first (fast-forward only): the other
/// machines read what is completed from the remote's base, and would take the unit again.
extension DispatchState {
    /// What became of a unit's claim on the remote.
    enum RemoteRelease: Sendable {
        case released(remote: String)
        /// The claim stays on the remote, and why.
        case kept(remote: String, reason: String)

        var line: String {
            switch self {
            case .released(let remote): "removed its claim on \(remote)"
            case .kept(let remote, let reason): "warning: its claim on \(remote) stays: \(reason)"
            }
        }
    }

    /// Deletes the remote's claim of a unit whose claim here was just removed at `tip`; nil when
    /// the claim was never pushed (no `Dispatch-Remote`, no `dispatch.remote`) or is not there.
    func releaseRemoteClaim(_ naming: WindowNaming, tip: ObjectID, record: DispatchRecord?) -> RemoteRelease? {
        guard let remote = record?.remote ?? sharedRemote else { return nil }
        let hint = "`git push \(remote) --delete \(naming.branch)` removes it"
        do {
            let claims = try RemoteClaims(repository: repository, remote: remote)
            let base = record?.baseReference
            let current = try claims.current([naming.reference] + (base.map { [$0] } ?? []))
            guard let value = current[naming.reference] else { return nil }
            guard try isOurs(value, tip: tip) else {
                return .kept(remote: remote, reason: "it is at \(value.short) there, which this machine never had: another machine claimed the unit since")
            }
            if let record, let base, tip != record.commit, try mergedLocally(tip, into: base),
               !(try current[base].map { try isOurs(tip, tip: $0) } ?? false) {
                if let refusal = try claims.pushBranch(base) {
                    return .kept(remote: remote, reason: "the unit is merged into \(BranchName.short(base)) here, but \(remote) refused \(BranchName.short(base)) (\(refusal)); bring \(BranchName.short(base)) up to date with \(remote), push it, then `spec-dispatch gc --remote \(remote)`")
                }
            }
            if let refusal = try claims.delete(naming, expecting: value) {
                return .kept(remote: remote, reason: "it moved there while it was being removed (\(refusal))")
            }
            return .released(remote: remote)
        } catch let error as DispatchError {
            return .kept(remote: remote, reason: "\(error.message); \(hint)")
        } catch {
            return .kept(remote: remote, reason: "\(error); \(hint)")
        }
    }

    /// Deletes a stale claim on its remote (StaleClaims), only while it is where it was found.
    /// One holding commits nothing else has is refused (exit 7) unless `force`; forced, they are
    /// kept here under `refs/dispatch/archive/<spec>/task-<id>/<time>-remote-<remote>` first. Returns the
    /// archive ref made, if one was.
    func removeStaleClaim(_ stale: StaleClaim, force: Bool) throws -> String? {
        let naming = stale.window.naming
        var archived: String?
        if case .holdsWork(_, let commits) = stale.kind {
            guard force else {
                throw DispatchError.refused("\(naming.branch) on \(stale.remote) holds \(commits) commit\(commits == 1 ? "" : "s") that nothing here has",
                                            details: ["hint: --force keeps them under \(DispatchRefs.archivePrefix) before deleting the claim"])
            }
            let name = DispatchRefs.archive(of: .unit(naming), stamp: String(Int(Date().timeIntervalSince1970)), part: "remote-\(stale.remote)")
            try git { try repository.createReference(name, target: stale.window.tip, logMessage: "spec-dispatch: keep \(naming.branch) of \(stale.remote) before deleting it there") }
            archived = name
        }
        let claims = try RemoteClaims(repository: repository, remote: stale.remote)
        if let refusal = try claims.delete(naming, expecting: stale.window.tip) {
            throw DispatchError.refused("\(naming.branch) moved on \(stale.remote) while it was being removed (\(refusal)): its machine is at work")
        }
        return archived
    }

    /// `value` is `tip` or below it: a commit of this claim, not of another machine's.
    private func isOurs(_ value: ObjectID, tip: ObjectID) throws -> Bool {
        if value == tip { return true }
        guard (try? repository.commit(value)) != nil else { return false }
        return try git { try repository.isAncestor(value, of: tip) }
    }

    private func mergedLocally(_ tip: ObjectID, into base: String) throws -> Bool {
        guard let baseTip = try git({ try repository.referenceTarget(base) }) else { return false }
        return try isOurs(tip, tip: baseTip)
    }
}
