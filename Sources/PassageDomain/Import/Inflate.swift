/// DEFLATE decompression (RFC 1951), for the parts of a ZIP file: spreadsheets keep their sheets deflated.
public enum Inflate {
    public struct Failure: Error, Equatable, Sendable {
        public let reason: String
    }

    public static func decompress(_ input: [UInt8], expected: Int = 0) throws(Failure) -> [UInt8] {
        var s = State(input: input)
        s.output.reserveCapacity(expected)
        var last = false
        while !last {
            last = try s.bits(1) == 1
            switch try s.bits(2) {
            case 0: try s.stored()
            case 1: try s.codes(Self.fixed.lengths, Self.fixed.distances)
            case 2:
                let (l, d) = try s.dynamic()
                try s.codes(l, d)
            default: throw Failure(reason: "a block of an unknown type")
            }
        }
        return s.output
    }

    struct Huffman {
        var count = [Int](repeating: 0, count: 16)
        var symbol: [Int]

        init(_ lengths: [Int]) throws(Failure) {
            symbol = [Int](repeating: 0, count: lengths.count)
            for l in lengths { count[l] += 1 }
            var left = 1
            for len in 1..<16 {
                left <<= 1
                left -= count[len]
                if left < 0 { throw Failure(reason: "a code table that is over-subscribed") }
            }
            var offs = [Int](repeating: 0, count: 16)
            for len in 1..<15 { offs[len + 1] = offs[len] + count[len] }
            for (sym, l) in lengths.enumerated() where l != 0 {
                symbol[offs[l]] = sym
                offs[l] += 1
            }
        }
    }

    static let fixed: (lengths: Huffman, distances: Huffman) = {
        var l = [Int](repeating: 8, count: 288)
        for i in 144..<256 { l[i] = 9 }
        for i in 256..<280 { l[i] = 7 }
        // The fixed tables are well formed: construction cannot fail.
        return (try! Huffman(l), try! Huffman([Int](repeating: 5, count: 30)))
    }()

    static let lengthBase = [
        3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227,
        258,
    ]
    static let lengthExtra = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0]
    static let distanceBase = [
        1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097,
        6145, 8193, 12289, 16385, 24577,
    ]
    static let distanceExtra = [
        0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13,
    ]
    static let codeOrder = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15]

    struct State {
        let input: [UInt8]
        var position = 0
        var buffer = 0
        var count = 0
        var output: [UInt8] = []

        init(input: [UInt8]) { self.input = input }

        mutating func bits(_ need: Int) throws(Failure) -> Int {
            while count < need {
                guard position < input.count else { throw Failure(reason: "the data ends too early") }
                buffer |= Int(input[position]) << count
                position += 1
                count += 8
            }
            let value = buffer & ((1 << need) - 1)
            buffer >>= need
            count -= need
            return value
        }

        mutating func stored() throws(Failure) {
            buffer = 0
            count = 0
            guard position + 4 <= input.count else { throw Failure(reason: "the data ends too early") }
            let len = Int(input[position]) | Int(input[position + 1]) << 8
            let nlen = Int(input[position + 2]) | Int(input[position + 3]) << 8
            guard len == (~nlen & 0xFFFF) else { throw Failure(reason: "a stored block with a wrong length") }
            position += 4
            guard position + len <= input.count else { throw Failure(reason: "the data ends too early") }
            output.append(contentsOf: input[position..<position + len])
            position += len
        }

        mutating func decode(_ h: Huffman) throws(Failure) -> Int {
            var code = 0
            var first = 0
            var index = 0
            for len in 1..<16 {
                code |= try bits(1)
                let n = h.count[len]
                if code - n < first { return h.symbol[index + (code - first)] }
                index += n
                first += n
                first <<= 1
                code <<= 1
            }
            throw Failure(reason: "a code that is not in its table")
        }

        mutating func codes(_ lengths: Huffman, _ distances: Huffman) throws(Failure) {
            while true {
                let symbol = try decode(lengths)
                if symbol < 256 {
                    output.append(UInt8(symbol))
                } else if symbol == 256 {
                    return
                } else {
                    let i = symbol - 257
                    guard i < 29 else { throw Failure(reason: "a length code out of range") }
                    let len = Inflate.lengthBase[i] + (try bits(Inflate.lengthExtra[i]))
                    let d = try decode(distances)
                    guard d < 30 else { throw Failure(reason: "a distance code out of range") }
                    let dist = Inflate.distanceBase[d] + (try bits(Inflate.distanceExtra[d]))
                    guard dist <= output.count else { throw Failure(reason: "a distance too far back") }
                    let start = output.count - dist
                    for k in 0..<len { output.append(output[start + k]) }
                }
            }
        }

        mutating func dynamic() throws(Failure) -> (Huffman, Huffman) {
            let nlen = try bits(5) + 257
            let ndist = try bits(5) + 1
            let ncode = try bits(4) + 4
            guard nlen <= 286, ndist <= 30 else { throw Failure(reason: "too many codes") }
            var lengths = [Int](repeating: 0, count: 19)
            for i in 0..<ncode { lengths[Inflate.codeOrder[i]] = try bits(3) }
            let lencode = try Huffman(lengths)
            var all: [Int] = []
            all.reserveCapacity(nlen + ndist)
            while all.count < nlen + ndist {
                let symbol = try decode(lencode)
                switch symbol {
                case 0..<16: all.append(symbol)
                case 16:
                    guard let previous = all.last else { throw Failure(reason: "a repeat with nothing before it") }
                    all += [Int](repeating: previous, count: 3 + (try bits(2)))
                case 17: all += [Int](repeating: 0, count: 3 + (try bits(3)))
                default: all += [Int](repeating: 0, count: 11 + (try bits(7)))
                }
            }
            guard all.count == nlen + ndist else { throw Failure(reason: "too many lengths") }
            return (try Huffman(Array(all[0..<nlen])), try Huffman(Array(all[nlen...])))
        }
    }
}
