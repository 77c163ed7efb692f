import Foundation

/// Finds the `Templates/` folder that ships with the tool: `$SPEC_DISPATCH_TEMPLATES`, the
/// installed copy (`<prefix>/share/spec-dispatch/Templates`), or the source tree's when run from
/// a build folder.
public struct TemplateLibrary: Sendable {
    public let root: String

    public init(root: String) {
        self.root = root
    }

    public static func locate(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> TemplateLibrary {
        if let path = environment["SPEC_DISPATCH_TEMPLATES"], !path.isEmpty {
            guard FileTree.isDirectory(path) else {
                throw DispatchError.notFound("SPEC_DISPATCH_TEMPLATES=\(path) is not a folder")
            }
            return TemplateLibrary(root: path)
        }
        let executable = URL(fileURLWithPath: Bundle.main.executablePath ?? CommandLine.arguments[0]).resolvingSymlinksInPath()
        var folder = executable.deletingLastPathComponent()
        for _ in 0..<6 {
            for candidate in ["share/spec-dispatch/Templates", "Templates"] {
                let path = folder.appendingPathComponent(candidate).path
                if FileTree.isDirectory(path + "/example") { return TemplateLibrary(root: path) }
            }
            folder = folder.deletingLastPathComponent()
        }
        throw DispatchError.notFound("cannot find spec-dispatch's Templates folder",
                            details: ["hint: set SPEC_DISPATCH_TEMPLATES to it, or reinstall with `make install`"])
    }

    /// The example spec (requirements.md, design.md, tasks.md).
    public var exampleSpec: String { root + "/example/link-shortener" }

    /// The hook scripts, shipped beside the templates (`Hooks/`).
    public var hooksFolder: String { (root as NSString).deletingLastPathComponent + "/Hooks" }
}
