/// Steps that a claim branch's `Completes:` trailers name and tasks.md at the branch tip does not
/// show `[x]`. The trailers are the record: when a hook could not amend its commit (a failed ref
/// write, hooks turned off), the commit stands with its trailer and only the marker is missing,
/// so it can be put back from the trailer.
public struct MissingCompletions: Sendable, Equatable {
    public struct Gap: Sendable, Equatable {
        public var step: TaskID
        /// The first commit, in the order given, whose trailer names the step.
        public var commit: String
    }

    /// In the unit's step order.
    public let gaps: [Gap]

    /// - Parameter named: `Completes:` ids by commit (ids are commit names the caller chooses);
    ///   ids that are not steps of `unit` are left out, as the post-commit hook leaves them out.
    public init(named: [(commit: String, ids: [TaskID])], unit: DispatchUnit, in tree: TaskTree) {
        var firstNamedBy: [TaskID: String] = [:]
        for (commit, ids) in named {
            for id in ids where firstNamedBy[id] == nil { firstNamedBy[id] = commit }
        }
        guard !firstNamedBy.isEmpty else {
            gaps = []
            return
        }
        gaps = UnitUpdate.steps(of: unit, in: tree).compactMap { step in
            guard let commit = firstNamedBy[step], let node = tree.node(step), node.entry.marker != .completed else { return nil }
            return Gap(step: step, commit: commit)
        }
    }

    public var steps: [TaskID] { gaps.map(\.step) }

    public var isEmpty: Bool { gaps.isEmpty }

    /// The edits that complete the missing steps (and bring the current-step mark and parents
    /// along); empty when nothing is missing.
    public func edits(for unit: DispatchUnit, in tree: TaskTree) -> [TextEdit] {
        guard !gaps.isEmpty else { return [] }
        // Every gap is a step of the unit, which is all UnitUpdate checks when only completing.
        return (try? UnitUpdate(completing: steps).edits(for: unit, in: tree)) ?? []
    }
}
