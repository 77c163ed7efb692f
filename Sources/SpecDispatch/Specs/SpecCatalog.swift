import Foundation
import GitKit

/// Finds the specs of a repository (`<specsDir>/*/tasks.md`) and resolves `--spec NAME|PATH`.
struct SpecCatalog {
    let repository: Repository
    let settings: DispatchSettings
    let source: SpecSource

    /// Every folder of the specs folders that holds a tasks.md, by name; a name in two folders is
    /// an error (DispatchSettings.spec(named:at:in:)).
    func discover() throws -> [Spec] {
        var found: [String: Spec] = [:]
        for root in settings.specsDirectories {
            for name in try source.folders(in: root, of: repository) {
                let spec = Spec(name: name, directory: root.isEmpty ? name : "\(root)/\(name)")
                guard try source.exists(spec.tasksPath, in: repository) else { continue }
                if let other = found[name] { throw DispatchSettings.ambiguous(name, [other, spec]) }
                found[name] = spec
            }
        }
        return found.keys.sorted().map { found[$0]! }
    }

    /// The specs a command works on: the one named or pointed at by `--spec`, else all of them.
    func select(_ option: String?, sourceName: String) throws -> [Spec] {
        guard let option, !option.isEmpty else {
            let all = try discover()
            if all.isEmpty {
                throw DispatchError.notFound("no specs: no \(settings.specsDirectoryDescription) in \(sourceName)",
                                    details: ["hint: create \(settings.specsDirectory)/<feature>/tasks.md, or pass --spec PATH"])
            }
            return all
        }
        if let spec = try specAtPath(option) { return [spec] }
        let all = try discover()
        if let spec = all.first(where: { $0.name == option }) { return [spec] }
        let known = all.isEmpty ? "none found" : "known: " + all.map(\.name).joined(separator: ", ")
        throw DispatchError.notFound("no spec named '\(option)' in \(settings.specsDirectories.joined(separator: " or ")) at \(sourceName) (\(known))")
    }

    /// `--spec` given as a path (to the folder or to its tasks.md), relative to the current directory.
    private func specAtPath(_ option: String) throws -> Spec? {
        guard option.contains("/") || option.hasSuffix(".md") || option == "." else { return nil }
        guard let root = repository.workingDirectory else { return nil }
        let absolute = option.hasPrefix("/") ? option : "\(FileTree.currentDirectory)/\(option)"
        var path = FileTree.canonical(absolute)
        if path.hasSuffix(".md") { path = String(path[..<(path.lastIndex(of: "/") ?? path.startIndex)]) }
        let canonicalRoot = FileTree.canonical(root)
        guard path == canonicalRoot || path.hasPrefix(canonicalRoot + "/") else {
            throw DispatchError.notFound("spec path '\(option)' is outside the repository at \(root)")
        }
        let directory = String(path.dropFirst(canonicalRoot.count)).trimmingCharacters(in: CharacterSet(charactersIn: "/"))
        let name = (directory.isEmpty ? canonicalRoot : directory).split(separator: "/").last.map(String.init) ?? "spec"
        let spec = Spec(name: name, directory: directory)
        guard try source.exists(spec.tasksPath, in: repository) else {
            throw DispatchError.notFound("no tasks.md at \(spec.tasksPath) in \(source == .workingTree ? "the working tree" : "the base commit")")
        }
        return spec
    }
}

