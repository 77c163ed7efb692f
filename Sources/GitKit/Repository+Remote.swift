import CLibGit2

/// How the remote answered for one pushed reference.
public struct PushRefResult: Sendable, Equatable {
    /// The remote reference (`refs/heads/x`).
    public let reference: String
    /// Why it was not updated (e.g. "non-fast-forward"); nil when it was.
    public let rejection: String?

    /// A result from its parts.
    public init(reference: String, rejection: String?) {
        self.reference = reference
        self.rejection = rejection
    }
}

extension Repository {
    /// The names of the configured remotes, sorted.
    public func remoteNames() throws(GitError) -> [String] {
        var names = git_strarray()
        try check(git_remote_list(&names, pointer), "git_remote_list")
        return consumeStringArray(&names).sorted()
    }

    /// The fetch URL of remote `name`; nil when there is no such remote.
    public func remoteURL(_ name: String) throws(GitError) -> String? {
        var remote: OpaquePointer?
        let result = git_remote_lookup(&remote, pointer, name)
        if isCode(result, GIT_ENOTFOUND) {
            forgetError()
            return nil
        }
        try check(result, "git_remote_lookup", name)
        defer { git_remote_free(remote) }
        return String(libgit2: git_remote_url(remote))
    }

    /// Fetches `refspecs` (configured ones when empty) from `remote` (a name, URL or path), never
    /// prompting for credentials (`credentials` says where they come from).
    /// `prune` deletes local refs under the refspecs' destinations that the remote no longer has.
    public func fetch(remote name: String, refspecs: [String], prune: Bool = false,
                      credentials: RemoteCredentials = RemoteCredentials()) throws(GitError) {
        let remote = try openRemote(name)
        defer { git_remote_free(remote) }
        let session = TransferSession(credentials: credentials)
        try session.run { () throws(GitError) in
            var options = git_fetch_options()
            git_fetch_options_init(&options, UInt32(GIT_FETCH_OPTIONS_VERSION))
            options.callbacks = session.callbacks()
            options.prune = prune ? GIT_FETCH_PRUNE : GIT_FETCH_PRUNE_UNSPECIFIED
            // FETCH_HEAD is one file every fetch of the repository rewrites; nobody here reads it.
            options.update_fetchhead = 0
            try withStringArray(refspecs) { (array) throws(GitError) in
                // A folder remote is read directly: a ref another process deletes between
                // libgit2's listing and its read of it (another machine's claim on its way in)
                // fails the fetch with "reference … not found". The next listing no longer has it.
                var attempt = 1
                while true {
                    do throws(GitError) {
                        try check(git_remote_fetch(remote, refspecs.isEmpty ? nil : array, &options, nil), "git_remote_fetch", name)
                        return
                    } catch where error.code == .notFound && error.message.contains("reference '") && attempt < 5 {
                        attempt += 1
                    }
                }
            }
        }
    }

    /// The references `remote` advertises (`git ls-remote`), by name.
    public func remoteReferences(_ name: String, credentials: RemoteCredentials = RemoteCredentials()) throws(GitError) -> [String: ObjectID] {
        let remote = try openRemote(name)
        defer { git_remote_free(remote) }
        let session = TransferSession(credentials: credentials)
        return try session.run { () throws(GitError) -> [String: ObjectID] in
            var callbacks = session.callbacks()
            try check(git_remote_connect(remote, GIT_DIRECTION_FETCH, &callbacks, nil, nil), "git_remote_connect", name)
            defer { git_remote_disconnect(remote) }
            return try advertisedReferences(remote)
        }
    }

    /// Pushes `refspecs` (full ref names, `+` to force) to `remote`; refused updates come back as rejections, not errors.
    ///
    /// `expecting` is a lease, as `git push --force-with-lease=<ref>:<value>`: a destination it
    /// names is updated (or deleted) only while the remote holds that value (`ObjectID.zero`:
    /// no such ref), else refused as "stale info". A server checks it again under its ref lock:
    /// the old value a push sends is the one the remote advertised to it.
    public func push(remote name: String, refspecs: [String], expecting: [String: ObjectID] = [:],
                     credentials: RemoteCredentials = RemoteCredentials()) throws(GitError) -> [PushRefResult] {
        let remote = try openRemote(name)
        defer { git_remote_free(remote) }
        let session = TransferSession(credentials: credentials)
        return try session.run { () throws(GitError) -> [PushRefResult] in
            var callbacks = session.callbacks()
            try check(git_remote_connect(remote, GIT_DIRECTION_PUSH, &callbacks, nil, nil), "git_remote_connect", name)
            defer { git_remote_disconnect(remote) }
            let remoteRefs = try advertisedReferences(remote)

            var destinations: [String] = []
            var rejections: [String: String] = [:]
            var accepted: [String] = []
            // libgit2 1.5 fails the whole push with GIT_ENONFASTFORWARD before sending anything when one unforced
            // update is not a fast-forward, so those are found here first and reported per reference instead.
            for refspec in refspecs {
                let (source, destination, force) = try parsePushRefspec(refspec)
                destinations.append(destination)
                if let lease = expecting[destination], lease != remoteRefs[destination] ?? .zero {
                    rejections[destination] = "stale info"
                } else if !force, !source.isEmpty, let theirs = remoteRefs[destination],
                   let rejection = try fastForwardRefusal(from: source, over: theirs) {
                    rejections[destination] = rejection
                } else {
                    accepted.append(refspec)
                }
            }
            if !accepted.isEmpty {
                var options = git_push_options()
                git_push_options_init(&options, UInt32(GIT_PUSH_OPTIONS_VERSION))
                options.callbacks = callbacks
                try withStringArray(accepted) { (array) throws(GitError) in
                    try check(git_remote_upload(remote, array, &options), "git_remote_upload", name)
                }
                let updated = git_remote_update_tips(remote, &callbacks, 0, GIT_REMOTE_DOWNLOAD_TAGS_UNSPECIFIED, nil)
                try check(updated, "git_remote_update_tips", name)
            }
            return destinations.map { destination in
                PushRefResult(reference: destination, rejection: rejections[destination] ?? session.pushStatuses[destination] ?? nil)
            }
        }
    }

    /// The configured remote `name`, or an anonymous one when `name` is a URL or path; to be freed by the caller.
    private func openRemote(_ name: String) throws(GitError) -> OpaquePointer? {
        var remote: OpaquePointer?
        let result = git_remote_lookup(&remote, pointer, name)
        if isCode(result, GIT_ENOTFOUND) || isCode(result, GIT_EINVALIDSPEC), name.contains("/") || name.contains(":") {
            forgetError()
            try check(git_remote_create_anonymous(&remote, pointer, name), "git_remote_create_anonymous", name)
        } else {
            try check(result, "git_remote_lookup", name)
        }
        // https needs the CA certificates that init left unread; http may redirect to https, but
        // works without them (as it did when init failed to read them): a failure is no error there.
        let urls = [git_remote_url(remote), git_remote_pushurl(remote)].compactMap { $0.map { String(cString: $0).lowercased() } }
        if urls.contains(where: { $0.hasPrefix("https:") }) {
            do { try CertificateDeferral.load() } catch { git_remote_free(remote); throw error }
        } else if urls.contains(where: { $0.hasPrefix("http:") }) {
            try? CertificateDeferral.load()
        }
        return remote
    }

    private func advertisedReferences(_ remote: OpaquePointer?) throws(GitError) -> [String: ObjectID] {
        var heads: UnsafeMutablePointer<UnsafePointer<git_remote_head>?>?
        var count = 0
        try check(git_remote_ls(&heads, &count, remote), "git_remote_ls")
        var result: [String: ObjectID] = [:]
        for index in 0..<count {
            if let head = heads?[index], let name = String(libgit2: head.pointee.name) {
                result[name] = ObjectID(head.pointee.oid)
            }
        }
        return result
    }

    private func parsePushRefspec(_ refspec: String) throws(GitError) -> (source: String, destination: String, force: Bool) {
        var parsed: OpaquePointer?
        try check(git_refspec_parse(&parsed, refspec, 0), "git_refspec_parse", refspec)
        defer { git_refspec_free(parsed) }
        let source = String(libgit2: git_refspec_src(parsed)) ?? ""
        let destination = String(libgit2: git_refspec_dst(parsed)).flatMap { $0.isEmpty ? nil : $0 } ?? source
        return (source, destination, git_refspec_force(parsed) == 1)
    }

    /// Why pushing `source` over the remote value `theirs` without force would be refused; nil when it is a fast-forward.
    private func fastForwardRefusal(from source: String, over theirs: ObjectID) throws(GitError) -> String? {
        var object: OpaquePointer?
        guard git_revparse_single(&object, pointer, source) == 0 else {
            forgetError()
            return nil
        }
        let ours = ObjectID(git_object_id(object)!)
        git_object_free(object)
        if ours == theirs { return nil }
        var odb: OpaquePointer?
        try check(git_repository_odb(&odb, pointer), "git_repository_odb")
        defer { git_odb_free(odb) }
        var theirOID = theirs.oid
        guard git_odb_exists(odb, &theirOID) == 1 else { return "fetch first" }
        return try mergeBase(ours, theirs) == theirs ? nil : "non-fast-forward"
    }
}
