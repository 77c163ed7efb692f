import SpecDispatchCore

/// `validate`: the diagnostics of each spec's tasks.md, as the user is editing it (working tree)
/// or at a revision.
public struct ValidationReport: Sendable {
    public struct Entry: Sendable {
        public var spec: Spec
        public var diagnostics: [Diagnostic]
        /// With `--verbose`: detail lines naming other tasks without a dependency label.
        public var unreadDependencies: [UnreadDependencies.Mention] = []
    }

    /// "working tree" or the revision checked.
    public var sourceName: String
    public var entries: [Entry]

    public var hasErrors: Bool { entries.contains { $0.diagnostics.hasErrors } }

    public static func run(_ workspace: Workspace, spec option: String?, revision: String?, verbose: Bool = false) throws -> ValidationReport {
        let source: SpecSource
        let name: String
        if let revision {
            source = .commit(try git { try workspace.repository.resolveCommit(revision) })
            name = revision
        } else if workspace.repository.workingDirectory != nil {
            source = .workingTree
            name = "the working tree"
        } else {
            let base = try workspace.base()
            source = .commit(base.commit)
            name = base.name
        }
        let specs = try workspace.catalog(source).select(option, sourceName: name)
        let entries = try specs.map { spec in
            let tree = try workspace.tasks(of: spec, from: source)
            return Entry(spec: spec, diagnostics: tree.diagnostics, unreadDependencies: verbose ? UnreadDependencies.find(in: tree) : [])
        }
        return ValidationReport(sourceName: name, entries: entries)
    }

    /// One `path:line: severity: message` line per diagnostic.
    public func text(terminal: Terminal) -> String {
        var lines: [String] = []
        for entry in entries {
            for d in entry.diagnostics {
                lines.append(DiagnosticText.line(d, path: entry.spec.tasksPath, terminal: terminal))
            }
            for mention in entry.unreadDependencies {
                let named = mention.mentioned.map(\.text).joined(separator: ", ")
                lines.append("\(ControlCharacters.escaped(entry.spec.tasksPath)):\(mention.line): note: task \(mention.task) names \(named) here without a dependency label, so it does not wait for \(mention.mentioned.count == 1 ? "it" : "them") (write `depends on: \(named)` if it should)")
            }
        }
        return lines.isEmpty ? "" : lines.joined(separator: "\n") + "\n"
    }

    public static let schema = "spec-dispatch.validate/1"

    public func json(pretty: Bool = false) -> [UInt8] {
        var w = JSONWriter(pretty: pretty)
        w.object { w in
            w.string("schema", Self.schema)
            w.string("source", sourceName)
            w.bool("valid", !hasErrors)
            w.key("specs")
            w.array { w in
                for entry in entries {
                    w.object { w in
                        w.string("name", entry.spec.name)
                        w.string("tasks_file", entry.spec.tasksPath)
                        w.int("errors", entry.diagnostics.filter { $0.severity == .error }.count)
                        w.int("warnings", entry.diagnostics.filter { $0.severity == .warning }.count)
                        BoardJSON.writeDiagnostics(entry.diagnostics, into: &w)
                    }
                }
            }
        }
        return w.bytes + [0x0A]
    }
}

/// Diagnostics the way compilers print them, coloured by severity on a terminal; what they quote
/// of tasks.md shown with its control characters escaped.
public enum DiagnosticText {
    public static func line(_ d: Diagnostic, path: String, terminal: Terminal) -> String {
        let location = d.line.map { "\(path):\($0)" } ?? path
        let severity = (d.severity == .error ? Style.red : Style.yellow).apply(d.severity.rawValue, terminal)
        return "\(ControlCharacters.escaped(location)): \(severity): \(ControlCharacters.escaped(d.message))"
    }

    /// All diagnostics of a board, for stderr after `status` or `ready`.
    public static func lines(for board: Board, terminal: Terminal) -> String {
        let lines = board.specs.flatMap { entry in entry.tree.diagnostics.map { line($0, path: entry.spec.tasksPath, terminal: terminal) } }
        return lines.isEmpty ? "" : lines.joined(separator: "\n") + "\n"
    }
}
