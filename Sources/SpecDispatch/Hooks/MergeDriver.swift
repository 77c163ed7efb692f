import GitKit
import SpecDispatchCore

/// git's merge driver for tasks.md (`spec-dispatch merge-driver %O %A %B %P`): merges the three
/// versions by task id and writes the result over `%A`, as git expects. Returns false when
/// non-status text conflicts (conflict markers are then in the file).
public enum MergeDriver {
    public static let name = "spec-dispatch"

    public static func run(base: String, ours: String, theirs: String) throws -> Bool {
        guard let oursBytes = FileTree.contents(ours), let theirsBytes = FileTree.contents(theirs) else {
            throw DispatchError.notFound("merge-driver: cannot read \(ours) or \(theirs)")
        }
        let repository = try? Repository.openFromEnvironment()
        let settings = (try? repository.map { try DispatchSettings(config: try $0.config()) }) ?? nil
        let options = TasksDocument.Options(tilde: settings?.tilde ?? .queued)
        // git_merge_file needs no repository; any handle will do when none is around.
        let lineMerger = try repository ?? git { try Repository.openFromEnvironment() }
        let result = try TasksMerge.merge(base: FileTree.contents(base), ours: oursBytes, theirs: theirsBytes, options: options) { b, o, t in
            try lineMerger.mergeFile(ancestor: b, ours: o, theirs: t)
        }
        try FileTree.writeAtomically(result.content, to: ours)
        return !result.hasConflicts
    }

    /// Registers the driver in the repository's config and the attribute for every tasks.md:
    /// in `info/attributes` (nothing to commit), or in the committed `.gitattributes` when asked.
    static func register(in repository: Repository, binary: String, committedAttributes: Bool) throws -> [String] {
        var changes: [String] = []
        let config = try git { try repository.localConfig() }
        // As the hooks do: spec-dispatch on PATH, else the binary that ran `init`; with neither,
        // git's own line merge, whose conflict markers keep both sides (a driver that fails to
        // start would leave only ours in the file).
        let fallback = ShellWord.quoted(binary)
        let command = "d=$(command -v spec-dispatch) || d=\(fallback); if [ -x \"$d\" ]; then exec \"$d\" merge-driver %O %A %B %P; "
            + "else exec git merge-file -L ours -L base -L theirs %A %O %B; fi"
        if try git({ try config.string("merge.\(name).driver") }) != command {
            try git {
                try config.set("merge.\(name).name", "spec-dispatch: tasks.md by task id")
                try config.set("merge.\(name).driver", command)
            }
            changes.append("registered the tasks.md merge driver in .git/config (merge.\(name))")
        }
        let file = committedAttributes ? (repository.workingDirectory.map { "\($0)/.gitattributes" }) : "\(repository.commonDirectory)/info/attributes"
        if let file, try ManagedLines.add("**/tasks.md merge=\(name)", to: file) {
            changes.append("added '**/tasks.md merge=\(name)' to \(file)" + (committedAttributes ? " (commit it to share the driver)" : ""))
        }
        return changes
    }

    static func unregister(in repository: Repository) throws -> [String] {
        var changes: [String] = []
        let config = try git { try repository.localConfig() }
        if try git({ try config.string("merge.\(name).driver") }) != nil {
            try git {
                try config.unset("merge.\(name).driver")
                try config.unset("merge.\(name).name")
            }
            changes.append("removed the tasks.md merge driver from .git/config")
        }
        if try ManagedLines.remove("**/tasks.md merge=\(name)", from: "\(repository.commonDirectory)/info/attributes") {
            changes.append("removed the tasks.md merge attribute from info/attributes")
        }
        return changes
    }
}
