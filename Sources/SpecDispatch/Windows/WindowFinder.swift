import SpecDispatchCore

/// Finds an open unit's window from `3` or `<spec>/3` (and `--spec`), for the commands that act
/// on one unit.
enum WindowFinder {
    static func find(_ text: String, spec option: String?, in workspace: Workspace) throws -> Window {
        let reference = try UnitReference(text, defaultSpec: option)
        let (specName, id) = (reference.spec, reference.id)
        guard WindowNaming.isSafeComponent(id.text), specName.map(WindowNaming.isSafeComponent) ?? true else {
            throw DispatchError.invalidInput("'\(text)' cannot name a unit's branch")
        }
        let matches = try OpenWindows.list(workspace.repository)
            .filter { $0.naming.unit == id && (specName == nil || $0.naming.spec == specName) }
        guard let window = matches.first else {
            throw DispatchError.notFound("unit \(text) has no window (no branch dispatch/\(specName ?? "<spec>")/task-\(id))")
        }
        guard matches.count == 1 else {
            throw DispatchError.invalidInput("unit \(id) has windows in several specs (\(matches.map(\.naming.spec).joined(separator: ", "))); say which: <spec>/\(id)")
        }
        return window
    }
}
