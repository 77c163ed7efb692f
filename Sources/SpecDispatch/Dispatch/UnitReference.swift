import SpecDispatchCore

/// A unit named on the command line: `3`, or `<spec>/3`.
struct UnitReference {
    let spec: String?
    let id: TaskID

    /// `defaultSpec` (a `--spec` option) applies when the text names no spec.
    init(_ text: String, defaultSpec: String? = nil) throws {
        let parts = text.split(separator: "/", maxSplits: 1).map(String.init)
        guard let id = TaskID(parts.last ?? "") else {
            throw DispatchError.invalidInput("'\(text)' is not a unit id (like 3, or <spec>/3)")
        }
        self.id = id
        spec = parts.count == 2 ? parts[0] : defaultSpec
    }
}
