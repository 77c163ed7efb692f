import CLibGit2

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The state libgit2's network callbacks share during one fetch or push (passed to them as `payload`).
final class TransferSession {
    let credentials: RemoteCredentials
    /// How many times libgit2 asked for credentials; capped because it asks again after every rejection.
    var credentialRequests = 0
    /// The status libgit2 reported per pushed reference (nil: updated).
    var pushStatuses: [String: String?] = [:]
    /// What was offered to the server, in words, with notes on how it went: for the message when
    /// none was taken.
    private var tried: [(what: String, notes: [String])] = []
    /// The credentials callback gave up: nothing (more) to offer.
    private var gaveUp = false
    /// The password given last, until the server's answer is known.
    private var pendingPassword: (url: String, credential: RemoteCredentials.Password)?
    /// Over ssh: 0 before the agent was offered, then 1 + the index of the next key file.
    private var sshStep = 0
    private var offeredDefault = false

    init(credentials: RemoteCredentials) {
        self.credentials = credentials
    }

    /// Callbacks wired to this session; valid while the session is alive.
    func callbacks() -> git_remote_callbacks {
        var callbacks = git_remote_callbacks()
        git_remote_init_callbacks(&callbacks, UInt32(GIT_REMOTE_CALLBACKS_VERSION))
        callbacks.credentials = acquireCredential
        callbacks.push_update_reference = recordPushStatus
        callbacks.payload = Unmanaged.passUnretained(self).toOpaque()
        return callbacks
    }

    /// Runs the transfer, then tells the password's source whether the server took it; an
    /// authentication failure comes out as `.auth` with what was tried.
    func run<T>(_ body: () throws(GitError) -> T) throws(GitError) -> T {
        do {
            let result = try withExtendedLifetime(self) { () throws(GitError) -> T in try body() }
            if let pending = pendingPassword { credentials.verdict(pending.url, pending.credential, true) }
            return result
        } catch {
            guard gaveUp || error.code == .auth else { throw error }
            if let pending = pendingPassword { refused(pending) }
            let what = tried.isEmpty ? "the server asked for credentials and there were none to give"
                : "tried " + tried.map { $0.notes.isEmpty ? $0.what : "\($0.what) (\($0.notes.joined(separator: ", ")))" }.joined(separator: ", ")
            throw GitError(code: .auth, errorClass: error.errorClass, message: "authentication failed: \(what)", operation: error.operation)
        }
    }

    fileprivate func acquire(_ out: UnsafeMutablePointer<UnsafeMutablePointer<git_credential>?>?, url: String, username: String?,
                             allowed: UInt32) -> Int32 {
        credentialRequests += 1
        guard credentialRequests <= 12 else { return giveUp() }
        if allowed & GIT_CREDENTIAL_SSH_KEY.rawValue != 0 { return sshKey(out, user: username ?? Self.loginName()) }
        if allowed & GIT_CREDENTIAL_USERNAME.rawValue != 0 { return git_credential_username_new(out, username ?? Self.loginName()) }
        if allowed & GIT_CREDENTIAL_USERPASS_PLAINTEXT.rawValue != 0 { return password(out, url: url, username: username) }
        if allowed & GIT_CREDENTIAL_DEFAULT.rawValue != 0, !offeredDefault {
            offeredDefault = true
            tried.append(("the system's default credentials", []))
            return git_credential_default_new(out)
        }
        return giveUp()
    }

    /// libgit2 asks again after each refusal: the agent first, then each key file in turn.
    private func sshKey(_ out: UnsafeMutablePointer<UnsafeMutablePointer<git_credential>?>?, user: String) -> Int32 {
        if sshStep == 0 {
            sshStep = 1
            if let socket = getenv("SSH_AUTH_SOCK"), socket.pointee != 0 {
                tried.append(("ssh-agent", ["user \(user)"]))
                return git_credential_ssh_key_from_agent(out, user)
            }
            tried.append(("ssh-agent", ["not running: SSH_AUTH_SOCK is not set"]))
        }
        while sshStep <= credentials.sshKeys.count {
            let key = credentials.sshKeys[sshStep - 1]
            sshStep += 1
            // libssh2 fails outright on a key it cannot decrypt; such a key is the agent's to offer.
            if RemoteCredentials.keyNeedsPassphrase(key) {
                tried.append(("key file \(key)", ["it needs a passphrase: add it to ssh-agent"]))
                continue
            }
            tried.append(("key file \(key)", ["user \(user)"]))
            let publicKey = FileSystem.kind(of: key + ".pub") == .other ? key + ".pub" : nil
            return git_credential_ssh_key_new(out, user, publicKey, key, nil)
        }
        if credentials.sshKeys.isEmpty { tried.append(("key files", ["none in ~/.ssh: id_ed25519, id_ecdsa, id_rsa"])) }
        return giveUp()
    }

    private func password(_ out: UnsafeMutablePointer<UnsafeMutablePointer<git_credential>?>?, url: String, username: String?) -> Int32 {
        // Asked again: the server refused the password given last. Like git, do not look further.
        if let pending = pendingPassword {
            refused(pending)
            return giveUp()
        }
        guard let found = credentials.password(url, username) else {
            tried.append((credentials.passwordSource, ["none had a password"]))
            return giveUp()
        }
        tried.append((credentials.passwordSource, ["user \(found.username)"]))
        pendingPassword = (url, found)
        return git_credential_userpass_plaintext_new(out, found.username, found.password)
    }

    private func refused(_ pending: (url: String, credential: RemoteCredentials.Password)) {
        credentials.verdict(pending.url, pending.credential, false)
        if let last = tried.indices.last { tried[last].notes.append("refused by the server") }
        pendingPassword = nil
    }

    private func giveUp() -> Int32 {
        gaveUp = true
        git_error_set_str(Int32(GIT_ERROR_NET.rawValue), "authentication failed")
        return GIT_EAUTH.rawValue
    }

    /// Whom ssh logs in as when the URL names no user: the local user, as ssh does.
    private static func loginName() -> String {
        if let name = getenv("USER"), name.pointee != 0 { return String(cString: name) }
        if let entry = getpwuid(getuid()), let name = entry.pointee.pw_name { return String(cString: name) }
        return "git"
    }
}

private let acquireCredential: git_credential_acquire_cb = { credential, url, usernameFromURL, allowedTypes, payload in
    let session = Unmanaged<TransferSession>.fromOpaque(payload!).takeUnretainedValue()
    return session.acquire(credential, url: String(libgit2: url) ?? "", username: String(libgit2: usernameFromURL), allowed: allowedTypes)
}

/// Records libgit2's per-reference push status.
private let recordPushStatus: git_push_update_reference_cb = { reference, status, payload in
    let session = Unmanaged<TransferSession>.fromOpaque(payload!).takeUnretainedValue()
    if let reference {
        session.pushStatuses[String(cString: reference)] = .some(status.map { String(cString: $0) })
    }
    return 0
}
