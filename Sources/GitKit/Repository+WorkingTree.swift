import CLibGit2

extension Repository {
    /// The bytes of the file at `relativePath` in the working directory, nil when absent (a plain POSIX read: no index, no filters).
    public func readWorkingTreeFile(_ relativePath: String) throws(GitError) -> [UInt8]? {
        guard let root = workingDirectory else {
            throw GitError(
                code: .bareRepository,
                errorClass: Int32(GIT_ERROR_REPOSITORY.rawValue),
                message: "a bare repository has no working tree to read '\(relativePath)' from",
                operation: "readWorkingTreeFile"
            )
        }
        guard !relativePath.isEmpty, !relativePath.hasPrefix("/") else {
            throw GitError(code: .invalidSpec, message: "'\(relativePath)' is not a relative path", operation: "readWorkingTreeFile")
        }
        return try FileSystem.readFile(root + "/" + relativePath, operation: "readWorkingTreeFile")
    }
}
