import CLibGit2

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension Repository {
    /// Three-way merges one file's contents; conflicts are written with git's 7-character markers.
    public func mergeFile(
        ancestor: [UInt8]?,
        ours: [UInt8],
        theirs: [UInt8],
        ancestorLabel: String = "base",
        oursLabel: String = "ours",
        theirsLabel: String = "theirs"
    ) throws(GitError) -> (content: [UInt8], hasConflicts: Bool) {
        let labels = (duplicate(ancestorLabel), duplicate(oursLabel), duplicate(theirsLabel))
        defer {
            free(labels.0)
            free(labels.1)
            free(labels.2)
        }
        var options = git_merge_file_options()
        git_merge_file_options_init(&options, UInt32(GIT_MERGE_FILE_OPTIONS_VERSION))
        options.ancestor_label = UnsafePointer(labels.0)
        options.our_label = UnsafePointer(labels.1)
        options.their_label = UnsafePointer(labels.2)
        options.favor = GIT_MERGE_FILE_FAVOR_NORMAL
        options.flags = GIT_MERGE_FILE_STYLE_MERGE.rawValue
        options.marker_size = UInt16(GIT_MERGE_CONFLICT_MARKER_SIZE)

        var result = git_merge_file_result()
        try withMergeInput(ancestor ?? []) { (ancestorInput) throws(GitError) in
            try withMergeInput(ours) { (oursInput) throws(GitError) in
                try withMergeInput(theirs) { (theirsInput) throws(GitError) in
                    let base = ancestor == nil ? nil : ancestorInput
                    try check(git_merge_file(&result, base, oursInput, theirsInput, &options), "git_merge_file")
                }
            }
        }
        defer { git_merge_file_result_free(&result) }
        let content = result.len == 0 ? [] : Array(UnsafeRawBufferPointer(start: result.ptr, count: result.len))
        return (content: content, hasConflicts: result.automergeable == 0)
    }

    /// Merges `theirs` into `ours` in memory (nothing is written to the working tree or refs).
    public func mergeCommits(ours: ObjectID, theirs: ObjectID) throws(GitError) -> MergeResult {
        var ourCommit: OpaquePointer?, theirCommit: OpaquePointer?
        var ourOID = ours.oid, theirOID = theirs.oid
        try check(git_commit_lookup(&ourCommit, pointer, &ourOID), "git_commit_lookup", ours.hex)
        defer { git_commit_free(ourCommit) }
        try check(git_commit_lookup(&theirCommit, pointer, &theirOID), "git_commit_lookup", theirs.hex)
        defer { git_commit_free(theirCommit) }
        var index: OpaquePointer?
        try check(git_merge_commits(&index, pointer, ourCommit, theirCommit, nil), "git_merge_commits")
        return try MergeResult(owning: index!, repository: self)
    }

    private func withMergeInput(
        _ bytes: [UInt8],
        _ body: (UnsafePointer<git_merge_file_input>) throws(GitError) -> Void
    ) throws(GitError) {
        try bytes.withUnsafeBufferPointer { (buffer) throws(GitError) in
            var input = git_merge_file_input()
            git_merge_file_input_init(&input, UInt32(GIT_MERGE_FILE_INPUT_VERSION))
            input.ptr = UnsafeRawPointer(buffer.baseAddress)?.assumingMemoryBound(to: CChar.self)
            input.size = buffer.count
            try body(&input)
        }
    }
}
