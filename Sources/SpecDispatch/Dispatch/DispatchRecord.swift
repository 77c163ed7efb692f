import Foundation
import GitKit
import SpecDispatchCore

/// What `next` recorded about a dispatch, as trailers of the branch's first commit (metadata in
/// git, not in a side file): the unit, the base it started from, the agent, and when.
public struct DispatchRecord: Sendable, Equatable {
    public var commit: ObjectID
    public var spec: String
    public var unit: TaskID
    public var baseReference: String?
    public var baseCommit: ObjectID?
    public var agent: String?
    /// The remote the claim was pushed to (`next --remote`, `dispatch.remote`): where giving the
    /// unit back must remove it too.
    public var remote: String?
    /// Seconds since 1970 (the commit's time).
    public var time: Int64

    static let specKey = "Dispatch-Spec", unitKey = "Dispatch-Unit", baseKey = "Dispatch-Base", agentKey = "Dispatch-Agent"
    static let remoteKey = "Dispatch-Remote", claimKey = "Dispatch-Claim"

    /// The message of the dispatch commit. The title and agent come from tasks.md and settings:
    /// escaped, a NUL cannot cut the trailers off nor a CR forge one.
    static func message(naming: WindowNaming, title: String, base: BaseRevision, agent: String?, remote: String?) -> String {
        var lines = ["dispatch: start unit \(naming.unit) (\(ControlCharacters.escaped(String(title.prefix(60)))))", "",
                     "\(specKey): \(naming.spec)", "\(unitKey): \(naming.unit)",
                     "\(baseKey): \(base.reference.map { "\($0) " } ?? "")\(base.commit.hex)"]
        if let agent { lines.append("\(agentKey): \(ControlCharacters.escaped(agent))") }
        if let remote {
            // Two machines of one identity claiming a unit in the same second would otherwise
            // write the same commit, and a remote could not tell one claim from the other.
            lines.append("\(remoteKey): \(ControlCharacters.escaped(remote))")
            lines.append("\(claimKey): \(UUID().uuidString.lowercased())")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Walks first parents from `tip` to the commit that started the unit; nil when not found.
    static func find(for naming: WindowNaming, tip: ObjectID, in repository: Repository, limit: Int = 10_000) -> DispatchRecord? {
        var next: ObjectID? = tip
        var steps = 0
        while let id = next, steps < limit, let commit = try? repository.commit(id) {
            let trailers = Repository.trailers(of: commit.message)
            if trailers.contains(where: { $0.key == unitKey && $0.value == naming.unit.text }),
               trailers.contains(where: { $0.key == specKey && $0.value == naming.spec }) {
                return record(commit, trailers, naming)
            }
            next = commit.parents.first
            steps += 1
        }
        return nil
    }

    private static func record(_ commit: Commit, _ trailers: [(key: String, value: String)], _ naming: WindowNaming) -> DispatchRecord {
        let value = { (key: String) in trailers.first(where: { $0.key == key })?.value }
        var baseReference: String?
        var baseCommit: ObjectID?
        if let base = value(baseKey) {
            let parts = base.split(separator: " ").map(String.init)
            baseCommit = parts.last.flatMap { ObjectID(hex: $0) }
            baseReference = parts.count > 1 ? parts[0] : nil
        }
        return DispatchRecord(commit: commit.id, spec: naming.spec, unit: naming.unit, baseReference: baseReference,
                              baseCommit: baseCommit, agent: value(agentKey), remote: value(remoteKey), time: commit.committer.time)
    }
}
