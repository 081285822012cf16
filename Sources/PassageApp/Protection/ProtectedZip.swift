import CryptoExtras
import Foundation
import PassageDomain

/// A password-protected ZIP archive (AES-256, the WinZip "AE-2" layout that 7-Zip, WinZip and most archive tools
/// open): the way restricted data leaves Passage as a file. Each entry is stored, encrypted with AES-256 in counter
/// mode under a key made from the password (PBKDF2-HMAC-SHA1, 1,000 rounds, a fresh 16-byte salt per entry) and
/// authenticated with HMAC-SHA1.
enum ProtectedZip {
    struct Refused: Error, CustomStringConvertible {
        var description: String
    }

    private struct Keys {
        var aes: SymmetricKey
        var mac: SymmetricKey
        var check: [UInt8]

        init(password: String, salt: [UInt8]) throws {
            let derived = try KDF.Insecure.PBKDF2.deriveKey(
                from: Array(password.utf8), salt: salt, using: .insecureSHA1, outputByteCount: 66,
                unsafeUncheckedRounds: 1000
            ).withUnsafeBytes { Array($0) }
            aes = SymmetricKey(data: derived[0..<32])
            mac = SymmetricKey(data: derived[32..<64])
            check = Array(derived[64..<66])
        }
    }

    /// AES-CTR with the little-endian block counter the format uses, starting at 1.
    private static func crypt(_ data: [UInt8], key: SymmetricKey) throws -> [UInt8] {
        var out = data
        var counter: UInt64 = 1
        var i = 0
        while i < out.count {
            var block = withUnsafeBytes(of: counter.littleEndian, Array.init) + [UInt8](repeating: 0, count: 8)
            try AES.permute(&block, key: key)
            for j in 0..<min(16, out.count - i) { out[i + j] ^= block[j] }
            i += 16
            counter += 1
        }
        return out
    }

    private static func u16(_ v: Int, _ a: inout [UInt8]) { a += [UInt8(v & 0xFF), UInt8((v >> 8) & 0xFF)] }
    private static func u32(_ v: Int, _ a: inout [UInt8]) {
        a += [UInt8(v & 0xFF), UInt8((v >> 8) & 0xFF), UInt8((v >> 16) & 0xFF), UInt8((v >> 24) & 0xFF)]
    }
    /// The AES extra field: AE-2, vendor "AE", AES-256, the entry stored.
    private static let extra: [UInt8] = [0x01, 0x99, 0x07, 0x00, 0x02, 0x00, 0x41, 0x45, 0x03, 0x00, 0x00]

    static func make(_ entries: [(name: String, data: [UInt8])], password: String) throws -> [UInt8] {
        var out: [UInt8] = []
        var central: [UInt8] = []
        let now = Calendar(identifier: .gregorian).dateComponents(in: TimeZone(identifier: "UTC")!, from: Date())
        let time = (now.hour ?? 0) << 11 | (now.minute ?? 0) << 5 | (now.second ?? 0) / 2
        let date = ((now.year ?? 2026) - 1980) << 9 | (now.month ?? 1) << 5 | (now.day ?? 1)
        for (name, data) in entries {
            var rng = SystemRandomNumberGenerator()
            let salt = (0..<16).map { _ in UInt8.random(in: 0...255, using: &rng) }
            let keys = try Keys(password: password, salt: salt)
            let cipher = try crypt(data, key: keys.aes)
            let tag = Array(HMAC<Insecure.SHA1>.authenticationCode(for: cipher, using: keys.mac).prefix(10))
            let body = salt + keys.check + cipher + tag
            let nameBytes = Array(name.utf8)
            let offset = out.count
            func header(_ a: inout [UInt8]) {
                u16(51, &a); u16(0x0801, &a); u16(99, &a); u16(time, &a); u16(date, &a); u32(0, &a)
                u32(body.count, &a); u32(data.count, &a); u16(nameBytes.count, &a); u16(extra.count, &a)
            }
            u32(0x0403_4B50, &out); header(&out)
            out += nameBytes + extra + body
            u32(0x0201_4B50, &central); u16(63, &central); header(&central)
            u16(0, &central); u16(0, &central); u16(0, &central); u32(0, &central); u32(offset, &central)
            central += nameBytes + extra
        }
        let start = out.count
        out += central
        u32(0x0605_4B50, &out); u16(0, &out); u16(0, &out); u16(entries.count, &out); u16(entries.count, &out)
        u32(central.count, &out); u32(start, &out); u16(0, &out)
        return out
    }

    /// The entries of an archive `make` wrote, checked against the password.
    static func open(_ zip: [UInt8], password: String) throws -> [(name: String, data: [UInt8])] {
        func u16(_ at: Int) -> Int { Int(zip[at]) | Int(zip[at + 1]) << 8 }
        func u32(_ at: Int) -> Int { u16(at) | u16(at + 2) << 16 }
        var out: [(String, [UInt8])] = []
        var at = 0
        while at + 30 <= zip.count, u32(at) == 0x0403_4B50 {
            let method = u16(at + 8)
            let size = u32(at + 18)
            let nameLength = u16(at + 26)
            let extraLength = u16(at + 28)
            let start = at + 30 + nameLength + extraLength
            guard method == 99, start + size <= zip.count, size >= 28 else {
                throw Refused(description: "not an AES-protected archive")
            }
            let name = String(decoding: zip[(at + 30)..<(at + 30 + nameLength)], as: UTF8.self)
            let body = Array(zip[start..<(start + size)])
            let keys = try Keys(password: password, salt: Array(body[0..<16]))
            guard Array(body[16..<18]) == keys.check else { throw Refused(description: "the password is wrong") }
            let cipher = Array(body[18..<(body.count - 10)])
            let tag = Array(HMAC<Insecure.SHA1>.authenticationCode(for: cipher, using: keys.mac).prefix(10))
            guard tag == Array(body[(body.count - 10)...]) else {
                throw Refused(description: "the archive was changed")
            }
            out.append((name, try crypt(cipher, key: keys.aes)))
            at = start + size
        }
        return out
    }
}
