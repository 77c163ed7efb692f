import Foundation
import PackagePlugin

/// Builds Templates/ and Hooks/ into the target as `ShippedFiles`, so a copied binary needs no
/// folder beside it. The files stay the source: editing one rebuilds the target.
@main
struct EmbedShippedFiles: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let root = context.package.directoryURL
        var relative: [String] = []
        for folder in ["Templates", "Hooks"] {
            let base = root.appendingPathComponent(folder)
            guard let walker = FileManager.default.enumerator(at: base, includingPropertiesForKeys: [.isRegularFileKey]) else { continue }
            for case let url as URL in walker where (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true {
                let path = url.standardizedFileURL.path
                relative.append(folder + String(path.dropFirst(base.standardizedFileURL.path.count)))
            }
        }
        let output = context.pluginWorkDirectoryURL.appendingPathComponent("ShippedFiles.swift")
        return [.buildCommand(
            displayName: "Embedding Templates and Hooks",
            executable: try context.tool(named: "embed-shipped-files").url,
            arguments: [output.path, root.path] + relative,
            inputFiles: relative.map { root.appendingPathComponent($0) },
            outputFiles: [output]
        )]
    }
}
