import PropertyBased
import Testing
@testable import SpecDispatchCore

/// A working tree as a map from file paths to whose they are, and a checkout that rewrites some
/// tracked paths: the model `OverwriteCheck` is tested against.
private struct Model: CustomStringConvertible {
    enum Owner { case clean, edited, untracked }

    var files: [String: Owner]
    var changed: [String]

    /// Paths from a small alphabet, so that files, folders and their prefixes collide often.
    static func generator() -> Generator<Model, Shrink.None<Model>> {
        Generator { rng in
            func path() -> String {
                (0..<Int.random(in: 1...3, using: &rng)).map { _ in ["a", "b", "c"].randomElement(using: &rng)! }.joined(separator: "/")
            }
            func clashes(_ a: String, _ b: String) -> Bool { a.hasPrefix(b + "/") || b.hasPrefix(a + "/") }
            var files: [String: Owner] = [:]
            // A working tree cannot hold a file and a folder of one name: a clashing path is skipped.
            for _ in 0..<Int.random(in: 0...6, using: &rng) {
                let candidate = path()
                let owner = [Owner.clean, .edited, .untracked].randomElement(using: &rng)!
                if !files.keys.contains(where: { clashes($0, candidate) }) { files[candidate] = owner }
            }
            // Nor does a checkout write a file and a folder of one name.
            var changed: [String] = []
            for _ in 0..<Int.random(in: 1...4, using: &rng) {
                let candidate = path()
                if !changed.contains(where: { $0 == candidate || clashes($0, candidate) }) { changed.append(candidate) }
            }
            // A tracked file where the checkout puts a folder, or inside a folder it turns into a
            // file, is one the change deletes: the tree diff lists it too.
            for (path, owner) in files where owner != .untracked && changed.contains(where: { clashes($0, path) }) {
                changed.append(path)
            }
            return Model(files: files, changed: changed)
        }
    }

    /// What status reports at the changed paths and below them (it is asked with those pathspecs).
    var local: [OverwriteCheck.LocalPath] {
        files.compactMap { path, owner in
            guard changed.contains(where: { path == $0 || path.hasPrefix($0 + "/") }) else { return nil }
            switch owner {
            case .clean: return nil
            case .edited: return .init(path, .changed)
            case .untracked: return .init(path, .untracked)
            }
        }
    }

    /// The user's files the checkout would destroy: at a path it writes, inside a folder it turns
    /// into a file, or a file standing where it needs a folder.
    var destroyed: Set<String> {
        Set(files.filter { path, owner in
            owner != .clean && changed.contains { path == $0 || path.hasPrefix($0 + "/") || $0.hasPrefix(path + "/") }
        }.keys)
    }

    var description: String { "files \(files), changed \(changed)" }
}

@Suite("overwrite check (properties)")
struct OverwriteCheckProperties {
    @Test("the collisions are exactly the user's files the checkout would destroy")
    func collisionsAreWhatWouldBeLost() async {
        await propertyCheck(count: 300, input: Model.generator()) { model in
            let found = OverwriteCheck.collisions(changed: model.changed, local: model.local) { model.files[$0] != nil }
            let reported = Set(found.map(\.path))
            let tracked = Set(model.files.filter { $0.value == .clean }.keys)
            // A clean tracked file in the way of a folder is one the change itself deletes; the
            // model's checkout never writes both, so a reported clean file can only be that case.
            #expect(reported.subtracting(tracked) == model.destroyed, "\(model): \(found)")
            #expect(found.allSatisfy { $0.reason == .untracked || model.files[$0.path] == .edited }, "\(model): \(found)")
        }
    }

    @Test("a user's file with no path in common with the checkout is never reported")
    func unrelatedFilesAreFree() async {
        await propertyCheck(count: 200, input: Model.generator()) { model in
            let found = Set(OverwriteCheck.collisions(changed: model.changed, local: model.local) { model.files[$0] != nil }.map(\.path))
            for path in model.files.keys where !model.changed.contains(where: { path == $0 || path.hasPrefix($0 + "/") || $0.hasPrefix(path + "/") }) {
                #expect(!found.contains(path), "\(model)")
            }
        }
    }
}
