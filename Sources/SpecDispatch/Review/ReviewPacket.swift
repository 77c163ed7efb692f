import GitKit
import SpecDispatchCore

/// What a reviewer gets for one unit (one packet per round, never one per step): every step with
/// its status, the branch's commits since its base with messages and diffstats, the spec's
/// files, the criticality, and earlier rejections.
struct ReviewPacket {
    struct CommitInfo {
        var id: ObjectID
        var message: String
        var stat: DiffStat
    }

    let review: UnitReview
    let round: Int
    let commits: [CommitInfo]
    let base: String
    /// The command that shows the unit's whole change since it left its base (three dots: from
    /// where the branch and the base last met, so later merges into the base do not show).
    let diffCommand: String
    /// The spec's requirements and design documents at the branch tip.
    let documents: (requirements: String, design: String)

    init(review: UnitReview, round: Int, repository: Repository) throws {
        self.review = review
        documents = review.spec.documents(at: review.window.tip, in: repository)
        self.round = round
        let record = review.window.record
        let baseCommit = record?.baseCommit.map { [$0] } ?? []
        let ids = try git { try repository.commits(from: review.window.tip, excluding: baseCommit) }
        commits = try ids.map { id in
            let commit = try git { try repository.commit(id) }
            let stat = try git { try repository.diffStat(from: commit.parents.first, to: id) }
            return CommitInfo(id: id, message: commit.message, stat: stat)
        }
        base = record?.baseReference.map(BranchName.short) ?? record?.baseCommit?.short ?? "the base"
        let from = record?.baseReference.map(BranchName.short) ?? record?.baseCommit?.hex ?? "\(review.window.tip.hex)~1"
        diffCommand = "git diff \(ShellWord.minimal(from))...\(ShellWord.minimal(review.window.naming.branch))"
    }

    /// The window's folder, where the work can be built and tested; nil when it is missing.
    private var window: String? { review.window.worktree?.path }

    private var stepsInOrder: [Int] { review.unit.workItems }

    func json() -> [UInt8] {
        let tree = review.tree
        var w = JSONWriter(pretty: true)
        w.object { w in
            w.string("schema", "spec-dispatch.review/1")
            w.key("unit")
            w.object { w in
                w.string("spec", review.spec.name)
                w.string("id", review.unit.id.text)
                w.string("title", tree.nodes[review.unit.root].entry.title)
                w.string("kind", review.unit.kind.rawValue)
            }
            w.int("round", round)
            w.string("criticality", review.criticality.rawValue)
            w.int("approvals_needed", review.approvalsNeeded)
            w.key("steps")
            w.array { w in
                for i in stepsInOrder {
                    let node = tree.nodes[i]
                    w.object { w in
                        w.string("id", node.id.text)
                        w.string("title", node.entry.title)
                        w.string("status", tree.statuses[i].rawValue)
                        w.bool("optional", node.entry.isOptional)
                    }
                }
            }
            w.key("commits")
            w.array { w in
                for commit in commits {
                    w.object { w in
                        w.string("id", commit.id.hex)
                        w.string("message", commit.message)
                        w.int("insertions", commit.stat.insertions)
                        w.int("deletions", commit.stat.deletions)
                        w.key("files")
                        w.array { w in
                            for file in commit.stat.files {
                                w.object { w in
                                    w.string("path", file.path)
                                    w.int("insertions", file.insertions)
                                    w.int("deletions", file.deletions)
                                }
                            }
                        }
                    }
                }
            }
            w.key("spec")
            w.object { w in
                w.string("requirements", documents.requirements)
                w.string("design", documents.design)
                w.string("tasks", review.spec.tasksPath)
            }
            w.key("previous_rejections")
            w.array { w in
                for case .reject(let r, let reviewer, let reason, let steps, _) in review.ledger.events {
                    w.object { w in
                        w.int("round", r)
                        w.string("reviewer", reviewer)
                        w.string("reason", reason)
                        w.strings("steps", steps.map(\.text))
                    }
                }
            }
            w.string("branch", review.window.naming.branch)
            w.string("tip", review.window.tip.hex)
            w.string("base", base)
            w.string("window", window)
            w.string("diff", diffCommand)
        }
        return w.bytes + [0x0A]
    }

    func context() -> [String: Any] {
        let tree = review.tree
        let unitID = review.unit.id.text
        return [
            "unit": ["id": unitID, "title": tree.nodes[review.unit.root].entry.title, "spec": review.spec.name],
            "round": round, "criticality": review.criticality.rawValue, "approvalsNeeded": review.approvalsNeeded,
            "steps": stepsInOrder.map { i -> [String: Any] in
                let node = tree.nodes[i]
                return ["id": node.id.text, "title": node.entry.title, "status": tree.statuses[i].words,
                        "done": tree.statuses[i] == .completed, "optional": node.entry.isOptional]
            },
            "commits": commits.map { commit -> [String: Any] in
                ["short": commit.id.short, "summary": commit.message.split(separator: "\n").first.map(String.init) ?? "",
                 "insertions": commit.stat.insertions, "deletions": commit.stat.deletions,
                 "files": commit.stat.files.map { "\($0.path) (+\($0.insertions) −\($0.deletions))" }]
            },
            "hasCommits": !commits.isEmpty,
            "spec": ["requirements": documents.requirements, "design": documents.design, "tasks": review.spec.tasksPath],
            "rejections": review.ledger.events.compactMap { event -> [String: Any]? in
                guard case .reject(let r, let reviewer, let reason, let steps, _) = event else { return nil }
                return ["round": r, "reviewer": reviewer, "reason": reason, "steps": steps.map(\.text).joined(separator: ", ")]
            },
            "hasRejections": review.ledger.rejections > 0,
            "branch": review.window.naming.branch, "base": base, "diffCommand": diffCommand,
            "window": window.map(ShellWord.minimal) ?? "", "hasWindow": window != nil,
            "approveCommand": "spec-dispatch approve \(review.spec.name)/\(unitID)",
            "rejectCommand": "spec-dispatch reject \(review.spec.name)/\(unitID) --reason \"…\"",
        ]
    }
}
