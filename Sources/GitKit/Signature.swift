import CLibGit2

/// Who made a commit and when.
public struct Signature: Sendable, Equatable, Hashable {
    /// The person's name.
    public var name: String
    /// The person's email address.
    public var email: String
    /// Seconds since the Unix epoch.
    public var time: Int64
    /// Offset of the person's time zone from UTC, in minutes.
    public var offsetMinutes: Int

    /// A signature from its parts.
    public init(name: String, email: String, time: Int64, offsetMinutes: Int) {
        self.name = name
        self.email = email
        self.time = time
        self.offsetMinutes = offsetMinutes
    }

    /// The signature libgit2 holds at `signature`.
    init(_ signature: UnsafePointer<git_signature>) {
        self.init(
            name: String(libgit2: signature.pointee.name) ?? "",
            email: String(libgit2: signature.pointee.email) ?? "",
            time: signature.pointee.when.time,
            offsetMinutes: Int(signature.pointee.when.offset)
        )
    }

    /// Calls `body` with a libgit2 copy of this signature, freed afterwards.
    func withGitSignature<Result>(
        _ body: (UnsafePointer<git_signature>) throws(GitError) -> Result
    ) throws(GitError) -> Result {
        var signature: UnsafeMutablePointer<git_signature>?
        try check(git_signature_new(&signature, name, email, time, Int32(offsetMinutes)), "git_signature_new", "\(name) <\(email)>")
        defer { git_signature_free(signature) }
        return try body(signature!)
    }
}
