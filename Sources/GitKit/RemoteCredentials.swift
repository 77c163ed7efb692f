#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where a fetch or push finds credentials when the server asks who we are; never a prompt.
/// Over ssh: the agent, then the key files that need no passphrase. Over http(s): a username
/// and password (or token) from `password`, which a caller wires to git's credential helpers.
public struct RemoteCredentials: Sendable {
    /// A username and password (or token) for an http(s) URL.
    public struct Password: Sendable, Equatable {
        public var username: String
        public var password: String

        public init(username: String, password: String) {
            self.username = username
            self.password = password
        }
    }

    /// A password for `url` (the username too, unless the URL names one); nil when there is none.
    public var password: @Sendable (_ url: String, _ username: String?) -> Password?
    /// Told whether the server took a password `password` gave, so its source can keep or drop it.
    public var verdict: @Sendable (_ url: String, _ credential: Password, _ accepted: Bool) -> Void
    /// Where `password` looks, for the message when it found nothing ("git's credential helpers").
    public var passwordSource: String
    /// Private key files offered over ssh after the agent, in order.
    public var sshKeys: [String]

    public init(password: @escaping @Sendable (String, String?) -> Password? = { _, _ in nil },
                verdict: @escaping @Sendable (String, Password, Bool) -> Void = { _, _, _ in },
                passwordSource: String = "no password source", sshKeys: [String] = RemoteCredentials.defaultSSHKeys()) {
        self.password = password
        self.verdict = verdict
        self.passwordSource = passwordSource
        self.sshKeys = sshKeys
    }

    /// The key files ssh tries by default, in its order, that exist under `~/.ssh`.
    public static func defaultSSHKeys(home: String? = getenv("HOME").map { String(cString: $0) }) -> [String] {
        guard let home, !home.isEmpty else { return [] }
        return ["id_ed25519", "id_ecdsa", "id_rsa"].map { "\(home)/.ssh/\($0)" }.filter { FileSystem.kind(of: $0) == .other }
    }

    /// True when the private key at `path` is encrypted: libssh2 would need its passphrase, and
    /// fails outright rather than letting the next key be tried. OpenSSH's own format names its
    /// cipher inside the base64 body ("none" when plain); PEM says so in a header.
    public static func keyNeedsPassphrase(_ path: String) -> Bool {
        guard let file = FileSystem.contents(of: path) else { return true }
        let text = String(decoding: file, as: UTF8.self)
        if text.contains("ENCRYPTED") { return true }
        guard text.contains("-----BEGIN OPENSSH PRIVATE KEY-----") else { return false }
        let body = text.split(whereSeparator: \.isNewline).filter { !$0.hasPrefix("-----") }.joined()
        guard let bytes = base64Decoded(body) else { return true }
        let magic = Array("openssh-key-v1\0".utf8)
        guard bytes.count > magic.count + 4, Array(bytes.prefix(magic.count)) == magic else { return true }
        let length = bytes[magic.count..<(magic.count + 4)].reduce(0) { $0 << 8 | Int($1) }
        let start = magic.count + 4
        guard bytes.count >= start + length else { return true }
        return String(decoding: bytes[start..<(start + length)], as: UTF8.self) != "none"
    }

    private static func base64Decoded(_ text: String) -> [UInt8]? {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
        var values = [UInt8?](repeating: nil, count: 256)
        for (index, byte) in alphabet.enumerated() { values[Int(byte)] = UInt8(index) }
        var bytes: [UInt8] = []
        var buffer = 0, bits = 0
        for byte in text.utf8 where byte != UInt8(ascii: "=") {
            guard let value = values[Int(byte)] else { return nil }
            buffer = buffer << 6 | Int(value)
            bits += 6
            if bits >= 8 {
                bits -= 8
                bytes.append(UInt8(truncatingIfNeeded: buffer >> bits))
                buffer &= (1 << bits) - 1
            }
        }
        return bytes
    }
}
