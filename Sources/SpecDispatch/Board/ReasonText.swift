import SpecDispatchCore

/// Why a unit is not ready, in words (`ready --verbose`, the board).
enum ReasonText {
    static func describe(_ reason: Readiness.Reason, base: String) -> String {
        switch reason {
        case .completed: "completed"
        case .optional: "optional (dispatched only when asked for by id)"
        case .claimed: "a window is open for it"
        case .pendingReview: "its steps are done on its branch: pending review"
        case .blocked(let tasks):
            "blocked: " + list(tasks.map { task in task.reason.map { "\(task.id) (\($0))" } ?? task.id.text })
        case .inProgressOutside(let ids):
            "\(list(ids.map(\.text))) marked in progress on \(base): someone works on it outside spec-dispatch"
        case .waitingFor(let ids):
            "waits for \(list(outermost(ids))) (not completed on \(base))"
        case .waitingForWave(_, let ids):
            "waits for earlier waves of the dependency graph: \(list(outermost(ids)))"
        case .writesOpenFiles(let files):
            "writes " + list(files.map { file in "\(file.path), which open unit \(list(file.writers)) writes" }) + " (_writes:)"
        }
    }

    /// The most useful reason, short, for one-line board rows.
    static func brief(_ reasons: [Readiness.Reason], base: String) -> String? {
        guard let reason = reasons.first(where: { ![.completed, .optional, .claimed, .pendingReview].contains($0) }) else { return nil }
        return describe(reason, base: base)
    }

    /// Drops ids whose ancestor is also listed: "waits for 2" rather than "2, 2.1, 2.2".
    static func outermost(_ ids: [TaskID]) -> [String] {
        let listed = Set(ids)
        return ids.filter { id in
            var parent = id.parent
            while let p = parent {
                if listed.contains(p) { return false }
                parent = p.parent
            }
            return true
        }.map(\.text)
    }

    static func list(_ items: [String], limit: Int = 5) -> String {
        items.count <= limit ? items.joined(separator: ", ")
            : items.prefix(limit).joined(separator: ", ") + " and \(items.count - limit) more"
    }
}
