import Foundation
import PassageDomain

// passage-dedupe-bench: batch de-duplication of a registry, on synthetic persons with known truth.
//   swift build -c release --product passage-dedupe-bench
//   .build/release/passage-dedupe-bench [--persons 100000] [--seed 7] [--thresholds 40,45] [--explain N]
//                                       [--write FILE.csv] [--read FILE.csv]
// Without --thresholds the batch's own threshold for the registry's size is used.
// The generator is seeded: the same options give the same records. `--write` saves them (with the truth) as CSV
// for other tools to read the same data; `--read` runs the batch on such a file instead (another tool's data set
// written in the same layout).

struct Options {
    var persons = 100_000
    var seed: UInt64 = 7
    var write: String?
    var read: String?
    var thresholds: [Int] = []
    /// Print this many pairs judged one person that are not, and as many true pairs missed.
    var explain = 0

    init(_ args: [String]) {
        var i = 1
        func next() -> String { i += 1; return i < args.count ? args[i] : "" }
        while i < args.count {
            switch args[i] {
            case "--persons": persons = Int(next()) ?? persons
            case "--seed": seed = UInt64(next()) ?? seed
            case "--thresholds": thresholds = next().split(separator: ",").compactMap { Int($0) }
            case "--write": write = next()
            case "--read": read = next()
            case "--explain": explain = Int(next()) ?? 0
            default: FileHandle.standardError.write(Data("unknown option \(args[i])\n".utf8)); exit(2)
            }
            i += 1
        }
    }
}

/// SplitMix64: a small seeded generator, the same numbers on every machine.
struct Random: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func chance(_ p: Double) -> Bool { Double.random(in: 0..<1, using: &self) < p }
}

/// Given names in the spellings agencies use for the same name, with the name in its original script.
let givenNames: [(spellings: [String], original: String?, sex: Sex)] = [
    (["Mohammed", "Muhammad", "Mohamed", "Mohammad", "Mohamad"], "محمد", .male),
    (["Ahmad", "Ahmed", "Achmed"], "أحمد", .male), (["Youssef", "Yusuf", "Yousef", "Jusuf"], "يوسف", .male),
    (["Omar", "Umar"], "عمر", .male), (["Hassan", "Hasan"], "حسن", .male),
    (["Hussein", "Husein", "Hossein"], nil, .male),
    (["Abdullah", "Abdallah", "Abdulla"], "عبدالله", .male), (["Khaled", "Khalid", "Chaled"], "خالد", .male),
    (["Fatima", "Fatma", "Fatemeh", "Fatimah"], "فاطمة", .female), (["Aisha", "Aicha", "Ayesha"], "عائشة", .female),
    (["Maryam", "Mariam", "Meryem"], "مريم", .female), (["Zeynab", "Zainab", "Zaynab"], "زينب", .female),
    (["Aleksandr", "Alexander", "Oleksandr", "Aleksander"], "Александр", .male),
    (["Sergei", "Sergey", "Serhiy"], "Сергей", .male), (["Olga", "Olha"], "Ольга", .female),
    (["Natalia", "Natalya", "Nataliya"], "Наталья", .female), (["Giorgi", "Georgi"], "გიორგი", .male),
    (["Nino"], "ნინო", .female), (["Yohannes", "Yohanes", "Johannes"], "ዮሐንስ", .male),
    (["Tesfay", "Tesfaye", "Tesfai"], "ተስፋይ", .male), (["Selam", "Selamawit"], "ሰላም", .female),
    (["Semhar"], "ሰምሃር", .female), (["Reza", "Resa"], "رضا", .male), (["Zahra", "Sahra"], "زهرا", .female),
    (["Mehmet", "Mehmed"], nil, .male), (["Ayşe", "Ayse"], nil, .female), (["Chinedu"], nil, .male),
    (["Kwame"], nil, .male), (["José", "Jose"], nil, .male), (["Lucía", "Lucia"], nil, .female),
    (["Abdi", "Abdee"], nil, .male), (["Amina", "Aminah"], nil, .female), (["Daniel", "Danyel"], nil, .male),
    (["Helen", "Helena"], nil, .female), (["Karim", "Kareem"], "كريم", .male),
    (["Noor", "Nour", "Nur"], "نور", .female),
    (["Ivan", "Iwan"], "Иван", .male), (["Dmitri", "Dmitry", "Dmytro"], "Дмитрий", .male),
    (["Bilal", "Belal"], "بلال", .male), (["Samira", "Sameera"], "سميرة", .female),
]

let syllables = [
    "ab", "al", "ba", "ber", "da", "del", "el", "fa", "ga", "geb", "ha", "hai", "ja", "ka", "kha", "la",
    "ma", "med", "na", "nas", "o", "ra", "re", "sa", "se", "sha", "ta", "te", "tek", "u", "wa", "wol",
    "ya", "yo", "za", "zi", "dor", "gan", "ov", "ani", "ski", "dze", "ian", "ouni",
]
let nationalities = ["SY", "IQ", "AF", "ER", "ET", "MA", "DZ", "TN", "IR", "RU", "UA", "GE", "TR", "NG", "SO", "CO"]

func familyName(_ rng: inout Random) -> String {
    let n = Int.random(in: 2...3, using: &rng)
    let s = (0..<n).map { _ in syllables.randomElement(using: &rng)! }.joined()
    let name = s.prefix(1).uppercased() + s.dropFirst()
    // Some family names carry a particle, written with a hyphen or a space by different hands.
    return rng.chance(0.08) ? "Al-" + name : name
}

/// Another spelling of a family name, as another transliteration tradition writes it.
func respell(_ name: String, _ rng: inout Random) -> String {
    let swaps: [(String, String)] = [
        ("ou", "u"), ("u", "ou"), ("kh", "h"), ("ch", "sh"), ("sh", "ch"), ("w", "v"), ("v", "w"), ("y", "i"),
        ("ie", "i"), ("ss", "s"), ("-", " "), ("Al-", "El-"), ("ov", "ow"), ("ani", "any"), ("dze", "dse"), ("j", "dj"),
    ]
    for (from, to) in swaps.shuffled(using: &rng) where name.contains(from) {
        return name.replacingOccurrences(of: from, with: to)
    }
    return typo(name, &rng)
}

/// One typing error: a letter replaced, dropped, doubled, or two swapped.
func typo(_ word: String, _ rng: inout Random) -> String {
    var c = Array(word)
    guard c.count > 3 else { return word }
    let i = Int.random(in: 1..<(c.count - 1), using: &rng)
    switch Int.random(in: 0..<4, using: &rng) {
    case 0: c[i] = Array("aeioulnrst").randomElement(using: &rng)!
    case 1: c.remove(at: i)
    case 2: c.insert(c[i], at: i)
    default: c.swapAt(i, i + 1)
    }
    return String(c)
}

struct Generated {
    var entries: [Deduplication.Entry] = []
    var truth: [Int] = []
}

func generate(_ count: Int, seed: UInt64) -> Generated {
    var rng = Random(state: seed)
    var g = Generated()
    g.entries.reserveCapacity(count)
    var entity = 0
    var household = 0
    while g.entries.count < count {
        // A household: its members share a family name, a phone and a nationality, and are different people.
        let size = rng.chance(0.2) ? Int.random(in: 2...5, using: &rng) : 1
        let family = familyName(&rng)
        let nationality = nationalities.randomElement(using: &rng)!
        let phone: String? = rng.chance(0.6) ? "+3161\(Int.random(in: 1_000_000...9_999_999, using: &rng))" : nil
        let householdID: Int? = size > 1 ? household : nil
        household += 1
        var previousBirth: PartialDate?
        // Members of one household bear different given names (twins too).
        var taken = Set<Int>()
        for member in 0..<size {
            var pick = Int.random(in: 0..<givenNames.count, using: &rng)
            while taken.contains(pick) { pick = Int.random(in: 0..<givenNames.count, using: &rng) }
            taken.insert(pick)
            let given = givenNames[pick]
            let year = Int.random(in: 1950...2022, using: &rng)
            var birth: PartialDate?
            if member > 0, let previous = previousBirth, rng.chance(0.1) {
                birth = previous  // twins
            } else if rng.chance(0.12) {
                birth = PartialDate(year: year, estimated: true)
            } else if rng.chance(0.05) {
                birth = nil
            } else {
                birth = PartialDate(
                    year: year, month: Int.random(in: 1...12, using: &rng), day: Int.random(in: 1...28, using: &rng))
            }
            previousBirth = birth
            let document = rng.chance(0.5) ? "N\(Int.random(in: 10_000_000...99_999_999, using: &rng))" : nil
            let original = given.original.flatMap { rng.chance(0.5) ? $0 : nil }
            let base = IdentityMatch.Record(
                familyName: family, givenNames: given.spellings[0], otherNames: original.map { [$0] } ?? [],
                sex: given.sex, dateOfBirth: birth, nationality: nationality,
                documentNumbers: document.map { [$0] } ?? [], phone: phone)
            g.entries.append(Deduplication.Entry(base, household: householdID))
            g.truth.append(entity)
            // The same person registered again by other hands: 15 % once, 3 % twice more.
            let copies = rng.chance(0.15) ? (rng.chance(0.2) ? 2 : 1) : 0
            for _ in 0..<copies where g.entries.count < count {
                var r = base
                r.otherNames = []
                var changes = Int.random(in: 1...3, using: &rng)
                while changes > 0 {
                    changes -= 1
                    switch Int.random(in: 0..<9, using: &rng) {
                    case 0, 1:
                        r.givenNames =
                            given.spellings.count > 1
                            ? given.spellings.dropFirst().randomElement(using: &rng)! : typo(r.givenNames, &rng)
                    case 2: r.familyName = respell(r.familyName, &rng)
                    case 3:
                        if rng.chance(0.5) {
                            r.givenNames = typo(r.givenNames, &rng)
                        } else {
                            r.familyName = typo(r.familyName, &rng)
                        }
                    case 4:
                        if let d = r.dateOfBirth, let m = d.month, let day = d.day, day <= 12 {
                            r.dateOfBirth = PartialDate(year: d.year, month: day, day: m)
                        } else if let d = r.dateOfBirth {
                            r.dateOfBirth = PartialDate(year: d.year + (rng.chance(0.5) ? 1 : -1), estimated: true)
                        }
                    case 5:
                        if let d = r.dateOfBirth {
                            r.dateOfBirth = PartialDate(
                                year: d.year + Int.random(in: -1...1, using: &rng), estimated: true)
                        }
                    case 6: swap(&r.givenNames, &r.familyName)
                    case 7: r.givenNames = ""
                    default: r.dateOfBirth = nil
                    }
                }
                if rng.chance(0.5) { r.documentNumbers = [] }
                if rng.chance(0.5) { r.phone = nil }
                // A copy is not linked to the household: the other hands did not know it.
                g.entries.append(Deduplication.Entry(r, household: nil))
                g.truth.append(entity)
            }
            entity += 1
            if g.entries.count >= count { break }
        }
    }
    return g
}

func peakMemoryMiB() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_maxrss) / 1024
}

/// Pairwise precision, recall and F1 of the clusters against the truth.
func evaluate(_ clusters: [[Int]], truth: [Int]) -> (
    precision: Double, recall: Double, f1: Double, found: Int, real: Int
) {
    var predicted = 0
    var correct = 0
    for c in clusters {
        for i in 0..<c.count {
            for j in (i + 1)..<c.count {
                predicted += 1
                if truth[c[i]] == truth[c[j]] { correct += 1 }
            }
        }
    }
    var sizes: [Int: Int] = [:]
    for t in truth { sizes[t, default: 0] += 1 }
    let real = sizes.values.reduce(0) { $0 + $1 * ($1 - 1) / 2 }
    let p = predicted == 0 ? 0 : Double(correct) / Double(predicted)
    let r = real == 0 ? 0 : Double(correct) / Double(real)
    return (p, r, p + r == 0 ? 0 : 2 * p * r / (p + r), predicted, real)
}

func csvField(_ s: String) -> String {
    s.contains(",") || s.contains("\"") ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
}

/// The fields of one CSV line (RFC 4180 quoting).
func csvFields(_ line: Substring) -> [String] {
    var fields: [String] = []
    var field = ""
    var quoted = false
    var chars = line.makeIterator()
    while let c = chars.next() {
        if quoted {
            if c == "\"" {
                if let n = chars.next() {
                    if n == "\"" {
                        field.append("\"")
                    } else {
                        quoted = false; if n == "," { fields.append(field); field = "" } else { field.append(n) }
                    }
                } else {
                    quoted = false
                }
            } else {
                field.append(c)
            }
        } else if c == "\"" {
            quoted = true
        } else if c == "," {
            fields.append(field); field = ""
        } else {
            field.append(c)
        }
    }
    fields.append(field)
    return fields
}

/// Records in the layout `--write` produces, with their truth.
func read(_ path: String) throws -> Generated {
    let text = try String(contentsOfFile: path, encoding: .utf8)
    var g = Generated()
    var entities: [String: Int] = [:]
    for line in text.split(whereSeparator: \.isNewline).dropFirst() {
        let f = csvFields(line)
        guard f.count >= 11 else { continue }
        let record = IdentityMatch.Record(
            familyName: f[3], givenNames: f[4], otherNames: f[5].isEmpty ? [] : [f[5]],
            sex: Sex(rawValue: f[6]) ?? .unknown, dateOfBirth: PartialDate(parsing: f[7]), nationality: f[8],
            documentNumbers: f[9].isEmpty ? [] : [f[9]], phone: f[10].isEmpty ? nil : f[10])
        g.entries.append(Deduplication.Entry(record, household: Int(f[2])))
        let entity = entities[f[1]] ?? entities.count
        entities[f[1]] = entity
        g.truth.append(entity)
    }
    return g
}

let options = Options(CommandLine.arguments)
let started = Date()
let data = try options.read.map(read) ?? generate(options.persons, seed: options.seed)
print(
    "generated \(data.entries.count) records of \(Set(data.truth).count) persons in "
        + String(format: "%.1f s", Date().timeIntervalSince(started))
)
if let path = options.write {
    var out = "id,entity,household,family_name,given_names,other_names,sex,date_of_birth,nationality,document,phone\n"
    for (i, e) in data.entries.enumerated() {
        let r = e.record
        out +=
            [
                String(i), String(data.truth[i]), e.household.map(String.init) ?? "", csvField(r.familyName),
                csvField(r.givenNames), csvField(r.otherNames.joined(separator: " ")), r.sex.rawValue,
                r.dateOfBirth?.description ?? "", r.nationality, r.documentNumbers.first ?? "", r.phone ?? "",
            ].joined(separator: ",") + "\n"
    }
    try out.write(toFile: path, atomically: true, encoding: .utf8)
    print("written to \(path)")
}
let before = peakMemoryMiB()
let clock = ContinuousClock()
for threshold in (options.thresholds.isEmpty ? [Deduplication.threshold(for: data.entries.count)] : options.thresholds)
{
    var result: Deduplication.Result!
    let elapsed = clock.measure { result = Deduplication.run(data.entries, threshold: threshold) }
    let e = evaluate(result.clusters, truth: data.truth)
    func show(_ i: Int) -> String {
        let r = data.entries[i].record
        return "\(r.givenNames) \(r.familyName) | \(r.dateOfBirth?.description ?? "-") | \(r.nationality) | "
            + "\(r.documentNumbers.first ?? "-") | \(r.phone ?? "-") | "
            + "household \(data.entries[i].household.map(String.init) ?? "-")"
    }
    for p in result.pairs.filter({ data.truth[$0.a] != data.truth[$0.b] }).prefix(options.explain) {
        print("wrong \(p.score) [\(p.a)/\(data.truth[p.a]) \(p.b)/\(data.truth[p.b])]: \(show(p.a))  <>  \(show(p.b))")
    }
    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    print(
        String(
            format: "threshold %d: %.2f s, %d pairs compared, %d clusters; precision %.4f recall %.4f F1 %.4f "
                + "(%d pairs found, %d true); peak memory %.0f MiB (%.0f MiB before the batch)",
            threshold, seconds, result.compared, result.clusters.count, e.precision, e.recall, e.f1, e.found, e.real,
            peakMemoryMiB(), before))
}

// How many of the true pairs blocking put side by side at all (the ceiling of recall).
do {
    var d = Deduplication()
    d.load(data.entries)
    d.weighWords()
    let all = d.scoredPairs(threshold: 0).pairs
    let truePairs = all.filter { data.truth[$0.a] == data.truth[$0.b] }
    let e = evaluate([], truth: data.truth)
    print(
        String(
            format: "blocking compared %d of %d true pairs (%.4f)", truePairs.count, e.real,
            Double(truePairs.count) / Double(max(e.real, 1))))
    if options.explain > 0 {
        let compared = Set(all.map { [$0.a, $0.b] })
        var byEntity: [Int: [Int]] = [:]
        for (i, t) in data.truth.enumerated() { byEntity[t, default: []].append(i) }
        var shown = 0
        for (_, group) in byEntity.sorted(by: { $0.key < $1.key }) where group.count > 1 && shown < options.explain {
            for x in 0..<group.count {
                for y in (x + 1)..<group.count where !compared.contains([group[x], group[y]]) {
                    let r = [group[x], group[y]].map { data.entries[$0].record }
                    print(
                        "missed: "
                            + r.map { "\($0.givenNames) \($0.familyName) | \($0.dateOfBirth?.description ?? "-")" }
                            .joined(separator: "  <>  "))
                    shown += 1
                }
            }
        }
    }
    var histogram: [Int: Int] = [:]
    for p in truePairs { histogram[p.score / 10 * 10, default: 0] += 1 }
    print(
        "true pairs by score:",
        histogram.sorted { $0.key < $1.key }.map { "\($0.key)+: \($0.value)" }.joined(separator: ", "))
    var false_: [Int: Int] = [:]
    for p in all where data.truth[p.a] != data.truth[p.b] && p.score >= 20 {
        false_[p.score / 10 * 10, default: 0] += 1
    }
    print(
        "other pairs by score:",
        false_.sorted { $0.key < $1.key }.map { "\($0.key)+: \($0.value)" }.joined(separator: ", "))
}
