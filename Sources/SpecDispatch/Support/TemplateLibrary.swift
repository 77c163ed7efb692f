import Foundation

/// The files spec-dispatch ships: the prompt templates and the example spec (`Templates/`) and
/// the hook scripts (`Hooks/`). They are built into the binary (`ShippedFiles`), so a copied
/// binary works with no folder beside it; `$SPEC_DISPATCH_TEMPLATES` names a Templates folder
/// to use instead, with its Hooks folder beside it. A repository's own prompt templates
/// (`.spec-dispatch/templates/`) override both (PromptTemplates).
public struct TemplateLibrary: Sendable {
    /// The Templates folder to read from; nil reads the built-in copies.
    let folder: String?

    public static func locate(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> TemplateLibrary {
        guard let path = environment["SPEC_DISPATCH_TEMPLATES"], !path.isEmpty else { return TemplateLibrary(folder: nil) }
        guard FileTree.isDirectory(path) else {
            throw DispatchError.notFound("SPEC_DISPATCH_TEMPLATES=\(path) is not a folder")
        }
        return TemplateLibrary(folder: path)
    }

    /// The files of the example spec, in the order they are committed.
    public static let exampleFiles = ["requirements.md", "design.md", "tasks.md"]

    /// `Templates/example/link-shortener/<file>`.
    func example(_ file: String) throws -> [UInt8] { try contents("Templates/example/link-shortener/\(file)") }

    /// `Templates/prompts/<file>`.
    func prompt(_ file: String) throws -> [UInt8] { try contents("Templates/prompts/\(file)") }

    /// `Hooks/<name>`.
    func hook(_ name: String) throws -> [UInt8] { try contents("Hooks/\(name)") }

    /// A shipped file by its path in the source tree (`Templates/…` or `Hooks/…`).
    private func contents(_ relative: String) throws -> [UInt8] {
        if let folder {
            // The Templates folder may have any name; Hooks sits beside it.
            let path = relative.hasPrefix("Templates/") ? folder + relative.dropFirst("Templates".count)
                : (folder as NSString).deletingLastPathComponent + "/" + relative
            guard let bytes = FileTree.contents(path) else { throw DispatchError.notFound("cannot read \(path)") }
            return bytes
        }
        guard let encoded = ShippedFiles.encoded[relative], let data = Data(base64Encoded: encoded) else {
            throw DispatchError.failure("this spec-dispatch was built without \(relative)")
        }
        return Array(data)
    }
}
