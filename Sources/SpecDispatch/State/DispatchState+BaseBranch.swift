import Foundation
import GitKit
import SpecDispatchCore

/// Moving a base branch for a merge, in git's order so that an interruption at any moment leaves
/// the old state, the new one, or one `doctor --fix` completes: the journal first, then the
/// files and index of the working tree where the branch is checked out, then the branch itself
/// (compare-and-swap), then the bookkeeping (review log, history ref, window), then the journal
/// goes. The caller holds the dispatch lock, so one merge runs at a time on this machine.
extension DispatchState {
    var journalPath: String { repository.commonDirectory + "/spec-dispatch/merge-journal" }

    /// The journal of a merge that did not finish, if there is one.
    func interruptedMerge() -> MergeJournal? {
        FileTree.contents(journalPath).flatMap { MergeJournal(text: String(decoding: $0, as: UTF8.self)) }
    }

    /// A journal file that cannot be read (cut short by a full disk, edited by hand).
    var hasUnreadableJournal: Bool { FileTree.exists(journalPath) && interruptedMerge() == nil }

    /// Merges along `plan`; returns why the window was kept, when it was, and what became of the
    /// unit's claim on the shared remote.
    func merge(_ plan: MergePlan, checkout: BaseCheckout?, fault: FaultInjection) throws -> (keptWindow: String?, remote: RemoteRelease?) {
        let window = plan.window
        let journal = MergeJournal(spec: window.naming.spec, unit: window.naming.unit, claimTip: window.tip.hex, base: plan.base,
                                   from: plan.baseTip.hex, to: plan.commit.hex, checkout: checkout?.path)
        try FileTree.makeDirectory((journalPath as NSString).deletingLastPathComponent)
        try FileTree.writeAtomically(Array(journal.text.utf8), to: journalPath)
        fault.checkpoint(.journalWritten)
        do {
            try checkout?.update(from: plan.baseTip, to: plan.commit)
        } catch DispatchError.refused(let message, let details) {
            // A safe checkout that refuses does so before it writes a file: nothing happened.
            try? FileTree.remove(journalPath)
            throw DispatchError.refused(message, details: details)
        } catch {
            // Any other failure may come after some files were written: the journal stays, so
            // status says so and doctor finishes it.
            throw DispatchError.failure("merging unit \(window.naming.unit) stopped half-way: \(error)",
                                        details: ["hint: `spec-dispatch doctor --fix` finishes it once the cause is gone"])
        }
        fault.checkpoint(.checkoutUpdated)
        do {
            try repository.updateReference(plan.base, to: plan.commit, expecting: plan.baseTip,
                                           logMessage: "spec-dispatch: merge unit \(window.naming.unit)")
        } catch {
            // The branch did not move: the files go back to the base's, and then the journal.
            let restored = checkout.map { (try? $0.update(from: plan.commit, to: plan.baseTip)) != nil } ?? true
            guard restored else {
                throw DispatchError.failure("\(BranchName.short(plan.base)) could not be moved (\(error.message)), and the files the merge wrote could not be put back",
                                            details: ["hint: `spec-dispatch doctor` names what is left; `spec-dispatch doctor --fix` finishes the merge"])
            }
            try? FileTree.remove(journalPath)
            switch error.code {
            case .modified: throw DispatchError.refused("\(BranchName.short(plan.base)) moved while merging; nothing was changed",
                                                details: ["hint: merge again"])
            case .locked: throw DispatchError.failure("cannot move \(BranchName.short(plan.base)): \(error.message)",
                                              details: ["hint: if no git command is running, an interrupted one left that lock: `spec-dispatch doctor --fix` removes it"])
            default: throw DispatchError.git(error)
            }
        }
        fault.checkpoint(.baseMoved)
        return try finishMerge(journal, fault: fault)
    }

    /// What `doctor --fix` does with an interrupted merge: brings the working tree and the branch
    /// to the merged state when they are still at one of the two states (the files may be half
    /// written), then does the rest. Refuses, writing nothing, when something else moved them.
    func resumeMerge(_ journal: MergeJournal) throws {
        guard let from = ObjectID(hex: journal.from), let to = ObjectID(hex: journal.to) else { return }
        let base = BranchName.short(journal.base)
        try removeStaleLocks(of: journal)
        let current = try git { try repository.referenceTarget(journal.base) }
        if current == from {
            // Where the branch is checked out now, which may not be where it was when the merge
            // began: a working tree the merge began to write, now on another branch, must hold
            // nothing of it, and is not touched.
            let checkout = try BaseCheckout.find(journal.base, in: repository)
            if let old = journal.checkout, old != checkout?.path, FileTree.isDirectory(old), let left = BaseCheckout.open(at: old),
               !(try left.holdsNothingOf(from: from, to: to)) {
                throw DispatchError.refused("the merge of \(journal.spec)/\(journal.unit) into \(base) cannot be finished: \(old), where it began to write, has another branch checked out now",
                                            details: ["hint: check out \(base) there again, then `spec-dispatch doctor --fix`"])
            }
            if let checkout {
                let inTheWay = try checkout.finishUpdate(from: from, to: to)
                guard inTheWay.isEmpty else {
                    throw DispatchError.refused("the merge of \(journal.spec)/\(journal.unit) into \(base) cannot be finished: \(ReasonText.list(inTheWay)) in \(checkout.path) changed since it was interrupted, or stands where the merge writes",
                                                details: ["hint: move those away (they are yours: nothing was written over them), then `spec-dispatch doctor --fix`",
                                                          "hint: or give the merge up: delete \(journalPath)"])
                }
            }
            try git { try repository.updateReference(journal.base, to: to, expecting: from, logMessage: "spec-dispatch doctor: finish merging unit \(journal.unit)") }
        } else if let current, current != to, !(try git { try repository.isAncestor(to, of: current) }) {
            throw DispatchError.refused("the merge of \(journal.spec)/\(journal.unit) into \(base) cannot be finished: \(base) moved to \(current.short), which has neither its start nor its result",
                                details: ["hint: merge the unit again, then delete \(journalPath)"])
        }
        _ = try finishMerge(journal, fault: FaultInjection(environment: [:]))
    }

    /// After the branch moved: the review log says merged, the unit's branch is kept as history,
    /// the window and claim go (kept, and the reason returned, when they hold other work).
    private func finishMerge(_ journal: MergeJournal, fault: FaultInjection) throws -> (keptWindow: String?, remote: RemoteRelease?) {
        guard let naming = try? WindowNaming(spec: journal.spec, unit: journal.unit), let claimTip = ObjectID(hex: journal.claimTip),
              let from = ObjectID(hex: journal.from), let to = ObjectID(hex: journal.to) else { return (nil, nil) }
        try ReviewLog(repository: repository, naming: naming).append(author: repository.defaultSignature()) { ledger in
            if case .merged? = ledger.events.last { return nil }
            return .merged(commit: journal.to)
        }
        fault.checkpoint(.reviewLogged)
        // History for `git log` of the unit: its branch, with the completing commit when it fast-forwarded.
        let fastForward = (try? repository.isAncestor(from, of: claimTip)) == true
        try keep(DispatchRefs.merged(naming), at: fastForward ? to : claimTip)
        var reason: String?
        var remote: RemoteRelease?
        if let window = try OpenWindows.list(repository).first(where: { $0.naming == naming }) {
            if window.tip != claimTip, !(try git { try repository.isAncestor(window.tip, of: to) }) {
                reason = "its branch has commits made since the merge; they stay on \(naming.branch): merge again, or abandon"
            } else {
                do {
                    let removal = try remove(WindowTarget(window), force: false)
                    reason = removal.keptClaim
                    remote = removal.remote
                } catch DispatchError.refused(let refusal, _) {
                    reason = refusal + "; `spec-dispatch gc --force` removes it, keeping that work under \(DispatchRefs.archivePrefix)"
                }
            }
        }
        fault.checkpoint(.windowRetired)
        try FileTree.remove(journalPath)
        return (reason, remote)
    }

    private func keep(_ reference: String, at commit: ObjectID) throws {
        do {
            try repository.createReference(reference, target: commit, logMessage: "spec-dispatch: merged unit")
        } catch {
            guard error.code == .exists else { throw DispatchError.git(error) }
            if let old = try git({ try repository.referenceTarget(reference) }), old != commit {
                try git { try repository.updateReference(reference, to: commit, expecting: old, logMessage: "spec-dispatch: merged again") }
            }
        }
    }

    /// Lock files an interrupted merge leaves: on the base branch, and on the index of the
    /// working tree where it is checked out. The caller holds the dispatch lock, so no merge of
    /// ours is running.
    private func removeStaleLocks(of journal: MergeJournal) throws {
        var locks = [repository.commonDirectory + "/" + journal.base + ".lock"]
        if let checkout = journal.checkout, let gitDirectory = (try? Repository.open(at: checkout))?.gitDirectory {
            locks.append(gitDirectory + "/index.lock")
        }
        for lock in locks where FileTree.exists(lock) { try FileTree.removeStaleLock(lock) }
    }
}
