import Foundation
import Testing
@testable import SpecDispatchCore

@Test(.enabled(if: ProcessInfo.processInfo.environment["SURVEY"] != nil))
func survey() throws {
    for file in Corpus.files {
        let tree = TaskTree(bytes: Array(try Data(contentsOf: file)))
        let errors = tree.diagnostics.filter { $0.severity == .error }
        let warnings = tree.diagnostics.filter { $0.severity == .warning }
        let name = file.deletingLastPathComponent().lastPathComponent + "/" + file.lastPathComponent
        print("\(name): tasks=\(tree.document.checkboxTasks.count) nodes=\(tree.nodes.count) units=\(tree.units.count) headingsUsed=\(tree.nodes.filter { $0.entry.origin == .heading }.count) errors=\(errors.count) warnings=\(warnings.count)")
        for d in errors.prefix(4) { print("    " + d.formatted(path: name)) }
        for d in warnings.filter({ $0.code != "checkbox-without-id" }).prefix(3) { print("    " + d.formatted(path: name)) }
    }
}
