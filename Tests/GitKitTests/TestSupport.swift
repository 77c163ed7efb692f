import Foundation
import GitKit
import Testing
import TestSupport

/// A fixed signature for commits made through GitKit.
let testSignature = Signature(name: "Test", email: "test@example.com", time: 1_700_000_000, offsetMinutes: 60)

extension ObjectID {
    /// The id of a hex string the test knows is valid.
    init(_ hex: String) {
        self.init(hex: hex.trimmingCharacters(in: .whitespacesAndNewlines))!
    }
}

/// The error `body` throws, which must be a `GitError` (nil when it throws nothing).
func gitError(_ body: () throws -> Void, sourceLocation: SourceLocation = #_sourceLocation) -> GitError? {
    do {
        try body()
        return nil
    } catch let error as GitError {
        return error
    } catch {
        Issue.record("expected a GitError, got \(error)", sourceLocation: sourceLocation)
        return nil
    }
}
