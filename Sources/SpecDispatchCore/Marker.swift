/// The character inside a task's checkbox, as it affects status.
public enum Marker: Sendable, Equatable {
    case notStarted  // [ ]
    case queued  // [~] Kiro's "queued"; blocked under `dispatch.tilde = blocked`
    case inProgress  // [-]
    case completed  // [x] or [X]

    init?(byte: UInt8) {
        switch byte {
        case UInt8(ascii: " "): self = .notStarted
        case UInt8(ascii: "~"): self = .queued
        case UInt8(ascii: "-"): self = .inProgress
        case UInt8(ascii: "x"), UInt8(ascii: "X"): self = .completed
        default: return nil
        }
    }

    /// The byte we write for a status; we never write `~` (docs/tasks-format.md, "Status").
    static func byte(for status: CheckboxStatus) -> UInt8 {
        switch status {
        case .notStarted: UInt8(ascii: " ")
        case .inProgress: UInt8(ascii: "-")
        case .completed: UInt8(ascii: "x")
        }
    }
}

/// The three states a checkbox can express.
public enum CheckboxStatus: String, Sendable, Equatable, CaseIterable {
    case notStarted = "not_started"
    case inProgress = "in_progress"
    case completed
}

/// How `[~]` reads: Kiro writes it for queued, the seed system for blocked.
public enum TildeMeaning: String, Sendable {
    case queued, blocked
}
