import CLibGit2

/// A commit object's content.
public struct Commit: Sendable, Equatable {
    /// The commit's id.
    public let id: ObjectID
    /// Its root tree.
    public let tree: ObjectID
    /// Its parents, first parent first.
    public let parents: [ObjectID]
    /// The full raw message, exactly as stored.
    public let message: String
    /// The first paragraph of the message on one line.
    public let summary: String
    /// Who wrote the change.
    public let author: Signature
    /// Who made the commit.
    public let committer: Signature
    /// Carries a signature (`gpgsig` header): rewriting the commit would drop it.
    public let isSigned: Bool

    /// A commit from its parts.
    public init(id: ObjectID, tree: ObjectID, parents: [ObjectID], message: String, summary: String, author: Signature,
                committer: Signature, isSigned: Bool = false) {
        self.isSigned = isSigned
        self.id = id
        self.tree = tree
        self.parents = parents
        self.message = message
        self.summary = summary
        self.author = author
        self.committer = committer
    }
}

extension Repository {
    /// The commit `id`.
    public func commit(_ id: ObjectID) throws(GitError) -> Commit {
        var commit: OpaquePointer?
        var oid = id.oid
        try check(git_commit_lookup(&commit, pointer, &oid), "git_commit_lookup", id.hex)
        defer { git_commit_free(commit) }
        let parents = (0..<git_commit_parentcount(commit)).compactMap { git_commit_parent_id(commit, $0).map(ObjectID.init) }
        var signature = git_buf()
        defer { git_buf_dispose(&signature) }
        let isSigned = git_commit_header_field(&signature, commit, "gpgsig") == 0
        forgetError()
        return Commit(
            id: id,
            tree: ObjectID(git_commit_tree_id(commit)!),
            parents: parents,
            message: String(libgit2: git_commit_message_raw(commit)) ?? "",
            summary: String(libgit2: git_commit_summary(commit)) ?? "",
            author: Signature(git_commit_author(commit)!),
            committer: Signature(git_commit_committer(commit)!),
            isSigned: isSigned
        )
    }

    /// Writes a commit object (UTF-8 message) and returns its id; moves no reference. Refuses a
    /// message with a NUL byte, which libgit2 would take for its end and silently cut there.
    public func createCommit(
        tree: ObjectID,
        parents: [ObjectID],
        message: String,
        author: Signature,
        committer: Signature
    ) throws(GitError) -> ObjectID {
        if let nul = message.utf8.firstIndex(of: 0) {
            let offset = message.utf8.distance(from: message.utf8.startIndex, to: nul)
            throw GitError(code: .invalid, message: "the message holds a NUL byte at offset \(offset), where libgit2 would end it",
                           operation: "git_commit_create")
        }
        var treeObject: OpaquePointer?
        var treeOID = tree.oid
        try check(git_tree_lookup(&treeObject, pointer, &treeOID), "git_tree_lookup", tree.hex)
        defer { git_tree_free(treeObject) }

        var parentObjects: [OpaquePointer?] = []
        defer { parentObjects.forEach { git_commit_free($0) } }
        for parent in parents {
            var object: OpaquePointer?
            var oid = parent.oid
            try check(git_commit_lookup(&object, pointer, &oid), "git_commit_lookup", parent.hex)
            parentObjects.append(object)
        }

        var written = git_oid()
        try author.withGitSignature { (authorSignature) throws(GitError) in
            try committer.withGitSignature { (committerSignature) throws(GitError) in
                let result = parentObjects.withUnsafeMutableBufferPointer { buffer in
                    git_commit_create(
                        &written, pointer, nil, authorSignature, committerSignature, nil, message, treeObject,
                        buffer.count, buffer.baseAddress
                    )
                }
                try check(result, "git_commit_create")
            }
        }
        return ObjectID(written)
    }

    /// The signature from `user.name`/`user.email` at the current time; "spec-dispatch <spec-dispatch@localhost>" fills what is not configured.
    public func defaultSignature() -> Signature {
        var signature: UnsafeMutablePointer<git_signature>?
        if git_signature_default(&signature, pointer) == 0, let signature {
            defer { git_signature_free(signature) }
            return Signature(signature)
        }
        forgetError()
        let config = try? configSnapshot()
        let name = (try? config?.string("user.name")).flatMap { $0 } ?? "spec-dispatch"
        let email = (try? config?.string("user.email")).flatMap { $0 } ?? "spec-dispatch@localhost"
        if git_signature_now(&signature, name, email) == 0, let signature {
            defer { git_signature_free(signature) }
            return Signature(signature)
        }
        forgetError()
        return Signature(name: "spec-dispatch", email: "spec-dispatch@localhost", time: Int64(time(nil)), offsetMinutes: 0)
    }

    /// The trailers (`Key: value` lines of the last paragraph) of a commit message, in order, duplicates kept.
    public static func trailers(of message: String) -> [(key: String, value: String)] {
        ensureLibgit2()
        var array = git_message_trailer_array()
        guard git_message_trailers(&array, message) == 0 else {
            forgetError()
            return []
        }
        defer { git_message_trailer_array_free(&array) }
        return (0..<array.count).map { index in
            (key: String(libgit2: array.trailers[index].key) ?? "", value: String(libgit2: array.trailers[index].value) ?? "")
        }
    }
}
