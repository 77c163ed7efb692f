/// What a checkout of some paths into a working tree would destroy, decided from what the working
/// tree holds there: the rule `git merge` applies ("local changes … would be overwritten",
/// "untracked working tree files would be overwritten"), extended to ignored files, which are the
/// user's too (a `.env`).
public enum OverwriteCheck {
    /// A path of the working tree, as status reports it file by file.
    public struct LocalPath: Sendable, Equatable {
        public enum Kind: Sendable, Equatable {
            /// A tracked file with uncommitted changes (staged or not, deletions included).
            case changed
            /// A file git does not track, ignored or not.
            case untracked
        }

        public var path: String
        public var kind: Kind

        public init(_ path: String, _ kind: Kind) {
            self.path = path
            self.kind = kind
        }
    }

    public struct Collision: Sendable, Hashable {
        public enum Reason: Sendable, Hashable {
            /// Uncommitted changes to a file the checkout rewrites or deletes.
            case localChanges
            /// A file git does not track, at a path the checkout writes, inside a folder the
            /// checkout replaces by a file, or where the checkout needs a folder.
            case untracked
        }

        public var path: String
        public var reason: Reason

        public init(_ path: String, _ reason: Reason) {
            self.path = path
            self.reason = reason
        }
    }

    /// The collisions of a checkout that writes or deletes the files `changed` (paths relative to
    /// the working tree's root). `local` lists the working tree's changes at those paths and below
    /// them; `isFile` tells whether something other than a folder exists at a path.
    public static func collisions(changed: [String], local: [LocalPath], isFile: (String) -> Bool) -> [Collision] {
        let written = Set(changed)
        var found: [Collision] = []
        for entry in local {
            switch entry.kind {
            case .changed where written.contains(entry.path):
                found.append(Collision(entry.path, .localChanges))
            case .untracked where written.contains(entry.path) || ancestors(of: entry.path).contains(where: written.contains):
                found.append(Collision(entry.path, .untracked))
            default:
                break
            }
        }
        // A file where the checkout needs a folder: git tracks it only if the change deletes it.
        for folder in Set(changed.flatMap(ancestors)) where !written.contains(folder) && isFile(folder) {
            found.append(Collision(folder, .untracked))
        }
        return Array(Set(found)).sorted { $0.path < $1.path }
    }

    /// `a/b/c` → `a`, `a/b`.
    static func ancestors(of path: String) -> [String] {
        var result: [String] = []
        var index = path.startIndex
        while let slash = path[index...].firstIndex(of: "/") {
            result.append(String(path[..<slash]))
            index = path.index(after: slash)
        }
        return result
    }
}
