import Foundation
import GitKit
import SpecDispatchCore

/// A unit's review events as a chain of commits on `refs/dispatch/reviews/<spec>/task-<id>`
/// (empty trees, the event in the message's trailers): review verdicts live in git, travel with
/// `refs/dispatch/*`, and are appended with a compare-and-swap, so concurrent reviewers never
/// lose an event.
struct ReviewLog {
    let repository: Repository
    let naming: WindowNaming

    var reference: String { DispatchRefs.reviews(naming) }

    func read() throws -> ReviewLedger {
        read(at: try git { try repository.referenceTarget(reference) })
    }

    /// The log whose newest event is `tip`.
    private func read(at tip: ObjectID?) -> ReviewLedger {
        guard var next = tip else { return ReviewLedger() }
        var events: [ReviewLedger.Event] = []
        while let commit = try? repository.commit(next) {
            if let event = Self.event(from: commit.message) { events.append(event) }
            guard let parent = commit.parents.first else { break }
            next = parent
        }
        return ReviewLedger(events: events.reversed())
    }

    /// Moves the log of an earlier claim of this unit (merged, or abandoned after its review) to
    /// `refs/dispatch/archive/reviews/…`: a new claim is reviewed afresh, not by old verdicts.
    func archive() throws {
        guard let tip = try git({ try repository.referenceTarget(reference) }) else { return }
        let archived = DispatchRefs.archivedReviews(naming, tip: tip)
        do {
            try repository.createReference(archived, target: tip, logMessage: "spec-dispatch: archive the review log of an earlier claim")
        } catch {
            guard error.code == .exists else { throw DispatchError.git(error) }
        }
        try git { try repository.deleteReference(reference, expecting: tip) }
    }

    func append(_ event: ReviewLedger.Event, author: Signature) throws {
        try append(author: author) { _ in event }
    }

    /// Appends the event `decide` makes of the log as it is; nil appends nothing. `decide` runs
    /// again on the log as it has become whenever another event lands first (the compare-and-swap
    /// fails), so what it checks and counts holds when its event lands, on any machine sharing the
    /// refs. Returns the log with the event.
    @discardableResult
    func append(author: Signature, _ decide: (ReviewLedger) throws -> ReviewLedger.Event?) throws -> ReviewLedger {
        for _ in 0..<10 {
            let tip = try git { try repository.referenceTarget(reference) }
            let ledger = read(at: tip)
            guard let event = try decide(ledger) else { return ledger }
            let commit = try git {
                try repository.createCommit(tree: try repository.writeEmptyTree(), parents: tip.map { [$0] } ?? [],
                                            message: Self.message(for: event), author: author, committer: author)
            }
            do {
                if let tip {
                    try repository.updateReference(reference, to: commit, expecting: tip, logMessage: "spec-dispatch: review event")
                } else {
                    try repository.createReference(reference, target: commit, logMessage: "spec-dispatch: review event")
                }
                return ReviewLedger(events: ledger.events + [event])
            } catch {
                guard error.code == .modified || error.code == .exists else { throw DispatchError.git(error) }
            }
        }
        throw DispatchError.failure("could not record the review event: \(reference) kept changing")
    }

    static func message(for event: ReviewLedger.Event) -> String {
        switch event {
        case .review(let round, let tip):
            "review: round \(round)\n\nDispatch-Event: review\nRound: \(round)\nTip: \(tip)\n"
        case .approve(let round, let reviewer):
            "approve: by \(reviewer)\n\nDispatch-Event: approve\nRound: \(round)\nReviewer: \(reviewer)\n"
        case .reject(let round, let reviewer, let reason, let steps, let tip):
            "reject: by \(reviewer)\n\n\(reason.trimmingCharacters(in: .whitespacesAndNewlines))\n\nDispatch-Event: reject\nRound: \(round)\n"
                + "Reviewer: \(reviewer)\nTip: \(tip)\nSteps: \(steps.map(\.text).joined(separator: ", "))\n"
        case .escalate(let round):
            "escalate: needs a person\n\nDispatch-Event: escalate\nRound: \(round)\n"
        case .reset(let round):
            "reset: a person took over\n\nDispatch-Event: reset\nRound: \(round)\n"
        case .merged(let commit):
            "merged\n\nDispatch-Event: merged\nCommit: \(commit)\n"
        case .noProgress(let round, let role, let note):
            "no progress: \(role)\n\n\(note.trimmingCharacters(in: .whitespacesAndNewlines))\n\nDispatch-Event: no-progress\nRound: \(round)\nRole: \(role)\n"
        }
    }

    static func event(from message: String) -> ReviewLedger.Event? {
        let trailers = Repository.trailers(of: message)
        let value = { (key: String) in trailers.first(where: { $0.key == key })?.value }
        let round = Int(value("Round") ?? "") ?? 0
        switch value("Dispatch-Event") {
        case "review": return .review(round: round, tip: value("Tip") ?? "")
        case "approve": return .approve(round: round, reviewer: value("Reviewer") ?? "")
        case "reject":
            let steps = (value("Steps") ?? "").split(separator: ",").compactMap { TaskID($0.trimmingCharacters(in: .whitespaces)) }
            return .reject(round: round, reviewer: value("Reviewer") ?? "", reason: body(of: message), steps: steps, tip: value("Tip") ?? "")
        case "escalate": return .escalate(round: round)
        case "reset": return .reset(round: round)
        case "merged": return .merged(commit: value("Commit") ?? "")
        case "no-progress": return .noProgress(round: round, role: value("Role") ?? "agent", note: body(of: message))
        default: return nil
        }
    }

    /// The paragraphs between the subject and the trailer block.
    private static func body(of message: String) -> String {
        var paragraphs = message.components(separatedBy: "\n\n")
        guard paragraphs.count >= 3 else { return "" }
        paragraphs.removeFirst()
        paragraphs.removeLast()
        return paragraphs.joined(separator: "\n\n").trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
