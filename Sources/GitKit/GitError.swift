import CLibGit2

/// A failed git operation: libgit2's message, error class and code, and the operation that failed.
public struct GitError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The kind of failure, from libgit2's `GIT_E*` return codes.
    public enum Code: Sendable, Hashable {
        case notFound, exists, ambiguous, bareRepository, unbornBranch, unmerged, nonFastForward
        case invalidSpec, conflict, locked, modified, auth, certificate, peel, invalid
        case uncommitted, directory, mergeConflict, mismatch, indexDirty, owner
        /// Any other libgit2 return code (`GIT_ERROR` is -1).
        case other(Int32)

        /// The code for a libgit2 return value.
        public init(rawValue: Int32) {
            switch rawValue {
            case GIT_ENOTFOUND.rawValue: self = .notFound
            case GIT_EEXISTS.rawValue: self = .exists
            case GIT_EAMBIGUOUS.rawValue: self = .ambiguous
            case GIT_EBAREREPO.rawValue: self = .bareRepository
            case GIT_EUNBORNBRANCH.rawValue: self = .unbornBranch
            case GIT_EUNMERGED.rawValue: self = .unmerged
            case GIT_ENONFASTFORWARD.rawValue: self = .nonFastForward
            case GIT_EINVALIDSPEC.rawValue: self = .invalidSpec
            case GIT_ECONFLICT.rawValue: self = .conflict
            case GIT_ELOCKED.rawValue: self = .locked
            case GIT_EMODIFIED.rawValue: self = .modified
            case GIT_EAUTH.rawValue: self = .auth
            case GIT_ECERTIFICATE.rawValue: self = .certificate
            case GIT_EPEEL.rawValue: self = .peel
            case GIT_EINVALID.rawValue: self = .invalid
            case GIT_EUNCOMMITTED.rawValue: self = .uncommitted
            case GIT_EDIRECTORY.rawValue: self = .directory
            case GIT_EMERGECONFLICT.rawValue: self = .mergeConflict
            case GIT_EMISMATCH.rawValue: self = .mismatch
            case GIT_EINDEXDIRTY.rawValue: self = .indexDirty
            case GIT_EOWNER.rawValue: self = .owner
            default: self = .other(rawValue)
            }
        }

        /// The libgit2 return value of this code.
        public var rawValue: Int32 {
            switch self {
            case .notFound: GIT_ENOTFOUND.rawValue
            case .exists: GIT_EEXISTS.rawValue
            case .ambiguous: GIT_EAMBIGUOUS.rawValue
            case .bareRepository: GIT_EBAREREPO.rawValue
            case .unbornBranch: GIT_EUNBORNBRANCH.rawValue
            case .unmerged: GIT_EUNMERGED.rawValue
            case .nonFastForward: GIT_ENONFASTFORWARD.rawValue
            case .invalidSpec: GIT_EINVALIDSPEC.rawValue
            case .conflict: GIT_ECONFLICT.rawValue
            case .locked: GIT_ELOCKED.rawValue
            case .modified: GIT_EMODIFIED.rawValue
            case .auth: GIT_EAUTH.rawValue
            case .certificate: GIT_ECERTIFICATE.rawValue
            case .peel: GIT_EPEEL.rawValue
            case .invalid: GIT_EINVALID.rawValue
            case .uncommitted: GIT_EUNCOMMITTED.rawValue
            case .directory: GIT_EDIRECTORY.rawValue
            case .mergeConflict: GIT_EMERGECONFLICT.rawValue
            case .mismatch: GIT_EMISMATCH.rawValue
            case .indexDirty: GIT_EINDEXDIRTY.rawValue
            case .owner: GIT_EOWNER.rawValue
            case .other(let value): value
            }
        }
    }

    /// The typed failure code.
    public let code: Code
    /// libgit2's error class (`GIT_ERROR_*`), e.g. 4 for references.
    public let errorClass: Int32
    /// What went wrong, in libgit2's words (plus the subject when libgit2 did not name it).
    public let message: String
    /// The function that failed, e.g. "git_reference_create".
    public let operation: String

    /// "operation: message".
    public var description: String {
        "\(operation): \(message)"
    }

    /// An error built from explicit parts (used for failures GitKit detects itself).
    public init(code: Code, errorClass: Int32 = Int32(GIT_ERROR_INVALID.rawValue), message: String, operation: String) {
        self.code = code
        self.errorClass = errorClass
        self.message = message
        self.operation = operation
    }

    /// The error libgit2 just reported for `result`; `subject` (a path, ref name...) is appended when its message lacks it.
    init(result: Int32, operation: String, subject: String? = nil) {
        var message = "unknown error (libgit2 returned \(result))"
        var errorClass = Int32(GIT_ERROR_NONE.rawValue)
        if let last = git_error_last() {
            errorClass = last.pointee.klass
            if let text = last.pointee.message {
                message = String(cString: text)
            }
        }
        git_error_clear()
        while message.hasSuffix("\n") || message.hasSuffix(" ") || message.hasSuffix(":") {
            message.removeLast()
        }
        if let subject, !message.contains(subject) {
            message += " (\(subject))"
        }
        self.init(code: Code(rawValue: result), errorClass: errorClass, message: message, operation: operation)
    }
}
