/// Names of a unit's claim and window: branch `dispatch/<spec>/task-<id>`, window folder
/// `<spec>/task-<id>` under the windows folder. Both parts must be safe as one ref component and
/// one path component, so no name can reach outside `refs/heads/dispatch/` or the windows folder.
public struct WindowNaming: Sendable, Hashable {
    public let spec: String
    public let unit: TaskID

    public static let branchPrefix = "refs/heads/dispatch/"

    public enum Problem: Error, Equatable, CustomStringConvertible {
        case unsafeSpecName(String)
        case unsafeUnitID(String)

        public var description: String {
            switch self {
            case .unsafeSpecName(let name):
                "spec name '\(name)' cannot be used in a branch name or folder (use letters, digits, '.', '_', '-')"
            case .unsafeUnitID(let id):
                "unit id '\(id)' cannot be used in a branch name or folder (use letters, digits, '.', '_', '-')"
            }
        }
    }

    public init(spec: String, unit: TaskID) throws(Problem) {
        guard Self.isSafeComponent(spec) else { throw .unsafeSpecName(spec) }
        guard Self.isSafeComponent(unit.text) else { throw .unsafeUnitID(unit.text) }
        self.spec = spec
        self.unit = unit
    }

    /// `dispatch/<spec>/task-<id>`, as people type it.
    public var branch: String { "dispatch/\(spec)/task-\(unit.text)" }
    /// The full ref name, the claim itself.
    public var reference: String { "refs/heads/" + branch }
    /// The window folder relative to the windows folder.
    public var folder: String { "\(spec)/task-\(unit.text)" }
    /// The worktree's admin name under `.git/worktrees/` (one component).
    public var worktreeName: String { "\(spec)-task-\(unit.text)" }

    /// Reads a claim back from its ref name; nil for refs that are not claims.
    public static func parse(reference: String) -> WindowNaming? {
        guard reference.hasPrefix(branchPrefix) else { return nil }
        let rest = reference.dropFirst(branchPrefix.count)
        guard let slash = rest.firstIndex(of: "/") else { return nil }
        let spec = String(rest[..<slash])
        let leaf = rest[rest.index(after: slash)...]
        guard leaf.hasPrefix("task-"), let id = TaskID(leaf.dropFirst(5)), id.text == leaf.dropFirst(5) else { return nil }
        return try? WindowNaming(spec: spec, unit: id)
    }

    /// Reads a window back from its worktree admin name `<spec>-task-<id>`, split at the last
    /// `-task-` (the name is ambiguous only for an id that itself contains `-task-`); nil for
    /// names that are not a window's.
    public static func parse(worktreeName name: String) -> WindowNaming? {
        let bytes = Array(name.utf8), marker = Array("-task-".utf8)
        var start = bytes.count - marker.count
        while start > 0, !bytes[start..<start + marker.count].elementsEqual(marker) { start -= 1 }
        guard start > 0 else { return nil }
        let spec = String(decoding: bytes[..<start], as: UTF8.self)
        let idText = String(decoding: bytes[(start + marker.count)...], as: UTF8.self)
        guard let id = TaskID(idText), id.text == idText, let naming = try? WindowNaming(spec: spec, unit: id),
              naming.worktreeName == name else { return nil }
        return naming
    }

    /// One path component and one ref component: no '/', no leading '.' or '-', no '..', no
    /// trailing '.' or `.lock`, only letters, digits, '.', '_' and '-'.
    public static func isSafeComponent(_ text: String) -> Bool {
        guard let first = text.utf8.first, let last = text.utf8.last, text.utf8.count <= 100 else { return false }
        guard first != UInt8(ascii: "."), first != UInt8(ascii: "-"), last != UInt8(ascii: "."),
              !text.contains(".."), !text.hasSuffix(".lock") else { return false }
        return text.utf8.allSatisfy { ASCII.isLetter($0) || ASCII.isDigit($0) || $0 == UInt8(ascii: ".")
            || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: "-") }
    }
}
