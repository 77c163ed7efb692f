import CLibGit2

/// One line of a reflog: the reference moved from `old` to `new`.
public struct ReflogEntry: Sendable, Equatable {
    /// Where it pointed before (all zeros when it was created).
    public let old: ObjectID
    /// Where it pointed after.
    public let new: ObjectID
    /// Why, as the writer said it (`commit: …`, `checkout: moving from … to …`).
    public let message: String

    /// An entry from its parts.
    public init(old: ObjectID, new: ObjectID, message: String) {
        self.old = old
        self.new = new
        self.message = message
    }
}

extension Repository {
    /// HEAD of linked worktree `name`, read from its admin folder, so it answers even when the
    /// worktree's folder is gone; a branch that no longer exists comes back `.unborn`. Nil when
    /// there is no such worktree or its HEAD is unreadable.
    public func head(ofWorktree name: String) -> Head? {
        guard let bytes = FileSystem.contents(of: worktreeAdminFolder(name) + "/HEAD") else { return nil }
        let text = String(decoding: bytes, as: UTF8.self).trimmingTrailingNewlines()
        if text.hasPrefix("ref: ") {
            let branch = String(text.dropFirst("ref: ".count))
            guard let commit = try? referenceTarget(branch) else { return .unborn(branch: branch) }
            return .branch(name: branch, commit: commit)
        }
        return ObjectID(hex: text).map { .detached(commit: $0) }
    }

    /// The reflog of linked worktree `name`'s HEAD, newest first: every commit that was checked
    /// out there, including ones no branch holds any more. Empty when it has none.
    public func headReflog(ofWorktree name: String) -> [ReflogEntry] {
        guard let bytes = FileSystem.contents(of: worktreeAdminFolder(name) + "/logs/HEAD") else { return [] }
        return bytes.split(separator: 0x0A).compactMap(Self.reflogEntry).reversed()
    }

    private func worktreeAdminFolder(_ name: String) -> String {
        commonDirectory + "/worktrees/" + name
    }

    /// `<old> <new> <name> <<email>> <time> <zone>\t<message>`, as git and libgit2 write it.
    private static func reflogEntry(_ line: ArraySlice<UInt8>) -> ReflogEntry? {
        let tab = line.firstIndex(of: 0x09)
        let head = line[..<(tab ?? line.endIndex)]
        let fields = head.split(separator: 0x20, maxSplits: 2)
        guard fields.count >= 2, let old = ObjectID(hex: String(decoding: fields[0], as: UTF8.self)),
              let new = ObjectID(hex: String(decoding: fields[1], as: UTF8.self)) else { return nil }
        let message = tab.map { String(decoding: line[line.index(after: $0)...], as: UTF8.self) } ?? ""
        return ReflogEntry(old: old, new: new, message: message)
    }
}

private extension String {
    func trimmingTrailingNewlines() -> String {
        var text = self
        while text.last == "\n" || text.last == "\r" { text.removeLast() }
        return text
    }
}
