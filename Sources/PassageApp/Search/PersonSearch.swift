import Vapor
import Fluent
import SQLKit
import PassageDomain

/// Finds persons by name (any script, partial, misspelt), document number and date of birth.
struct PersonSearch: Sendable {
    struct Query: Sendable, Equatable {
        var name: String = ""
        var document: String = ""
        var dateOfBirth: PartialDate?
        var limit: Int = 50
        var offset: Int = 0

        var isEmpty: Bool { NameNormaliser.tokens(name).isEmpty && document.isEmpty && dateOfBirth == nil }
    }

    struct Hit: Sendable, Hashable { let id: UUID; let score: Int }

    /// A query word matching more persons than this does not pick the candidates:
    /// a rarer word of the same query does, and the common one is checked on the few found.
    static let candidateLimit = 300

    /// Returns matching person ids, best first.
    ///
    /// Names are matched in two steps when they can be: the candidates of one uncommon query word
    /// are read from the term index (a bounded read; longer words first, as they are rarer), and
    /// those few persons are scored against every word by the domain's rules. When every word is
    /// common, the database does the whole match in one grouped query.
    static func run(_ q: Query, on db: any Database, index: NameIndex? = nil, candidateLimit: Int = candidateLimit)
        async throws -> [Hit]
    {
        try await counted(q, on: db, index: index, candidateLimit: candidateLimit).hits
    }

    /// As `run`, with how many persons match in all where that is known without reading them all: always through
    /// the name index, and on a last page otherwise.
    static func counted(
        _ q: Query, on db: any Database, index: NameIndex? = nil, candidateLimit: Int = candidateLimit
    ) async throws -> (hits: [Hit], total: Int?) {
        let hits = try await ranked(q, on: db, index: index, candidateLimit: candidateLimit)
        if let total = hits.total { return (hits.hits, total) }
        let last = hits.hits.count < q.limit && (q.offset == 0 || !hits.hits.isEmpty)
        return (hits.hits, last ? q.offset + hits.hits.count : nil)
    }

    private static func ranked(
        _ q: Query, on db: any Database, index: NameIndex?, candidateLimit: Int
    ) async throws -> (hits: [Hit], total: Int?) {
        if q.offset == 0, let id = try await officeReference(q.name, on: db) { return ([Hit(id: id, score: 100)], 1) }
        let words = SearchTerms.query(q.name)
        let conditions = filters(q)
        if words.isEmpty {
            return (try await byFiltersOnly(q, conditions, on: db), nil)
        }
        if let index {
            try await index.refresh(db)
            var within: Set<UUID>?
            let number = IdentityDocumentDetails.normaliseNumber(q.document)
            if !number.isEmpty {
                within = Set(
                    try await db.sql.raw("SELECT person_id FROM identity_documents WHERE number = \(bind: number)")
                        .all()
                        .map { try $0.decode(column: "person_id", as: UUID.self) })
            }
            if let hits = index.search(
                words, dateOfBirth: q.dateOfBirth, within: within, offset: q.offset, limit: q.limit)
            {
                return hits
            }
        }
        if candidateLimit > 0 {
            for w in words.filter({ !$0.optional }).sorted(by: { $0.word.count > $1.word.count }) {
                if let ids = try await candidates(for: w, limit: candidateLimit, on: db) {
                    return (try await scored(q, words, Array(ids), conditions, on: db), nil)
                }
            }
        }
        return (try await grouped(q, words, conditions, on: db), nil)
    }

    /// The person an office's own reference names (kept by an import): of the person, or of their return case.
    /// A reference has a digit; a name alone is never taken for one.
    static func officeReference(_ raw: String, on db: any Database) async throws -> UUID? {
        let ref = raw.trimmingCharacters(in: .whitespaces)
        guard !ref.isEmpty, ref.count <= 100, !ref.contains(" "), ref.contains(where: \.isNumber) else { return nil }
        let row = try await db.sql.raw(
            """
            SELECT p.id AS id FROM import_keys k JOIN persons p ON p.id = k.record_id \
            WHERE k.kind = 'persons' AND k.ref = \(bind: ref) AND p.merged_into IS NULL
            UNION SELECT c.person_id AS id FROM import_keys k JOIN cases c ON c.id = k.record_id \
            WHERE k.kind = 'return_cases' AND k.ref = \(bind: ref)
            """
        ).first()
        return try row?.decode(column: "id", as: UUID.self)
    }

    /// Persons having a term that satisfies the word, or nil when there are more than `limit`.
    /// The count is taken first, over at most a bounded stretch of the index, so that a common
    /// word costs a short index walk rather than a long fetch.
    static func candidates(for w: SearchTerms.QueryWord, limit: Int, on db: any Database) async throws -> Set<UUID>? {
        let fuzzy = SQLList(w.fuzzy.map { SQLBind($0) as any SQLExpression })
        var match: SQLQueryString = "FROM person_search_terms WHERE term IN (\(fuzzy))"
        if let k = w.sound {
            match.appendInterpolation(" OR (kind = 2 AND term = \(bind: SearchTerms.soundTerm(k)))" as SQLQueryString)
        }
        if let r = w.prefixRange {
            match.appendInterpolation(
                " OR (kind = 0 AND term >= \(bind: r.lower) AND term < \(bind: r.upper))" as SQLQueryString)
        }
        // A person has at most a few terms per word (the word and its variants).
        let rowLimit = limit * 3
        var count: SQLQueryString = "SELECT COUNT(*) AS n FROM (SELECT 1 "
        count.appendInterpolation(match)
        count.appendInterpolation(unsafeRaw: " LIMIT \(rowLimit + 1)) c")
        let n = try await db.sql.raw(count).first()?.decode(column: "n", as: Int.self) ?? 0
        guard n <= rowLimit else { return nil }
        var fetch: SQLQueryString = "SELECT DISTINCT person_id "
        fetch.appendInterpolation(match)
        let ids = Set(try await db.sql.raw(fetch).all().map { try $0.decode(column: "person_id", as: UUID.self) })
        return ids.count <= limit ? ids : nil
    }

    /// Scores a bounded set of candidates against every query word.
    static func scored(
        _ q: Query, _ words: [SearchTerms.QueryWord], _ candidates: [UUID], _ conditions: [SQLQueryString],
        on db: any Database
    ) async throws -> [Hit] {
        guard !candidates.isEmpty else { return [] }
        var sql: SQLQueryString = """
            SELECT t.person_id AS id, t.term AS term, p.sort_name AS sort_name FROM person_search_terms t \
            JOIN persons p ON p.id = t.person_id WHERE t.kind = 0 AND t.person_id IN \
            (\(SQLList(candidates.map { SQLBind($0) as any SQLExpression })))
            """
        for c in conditions { sql.appendLiteral(" AND "); sql.appendInterpolation(c) }
        var wordsByPerson: [UUID: (sortName: String, words: [String])] = [:]
        for row in try await db.sql.raw(sql).all() {
            let id = try row.decode(column: "id", as: UUID.self)
            let term = try row.decode(column: "term", as: String.self)
            let sortName = try row.decode(column: "sort_name", as: String.self)
            wordsByPerson[id, default: (sortName, [])].words.append(term)
        }
        let ranked = wordsByPerson.compactMap { id, entry -> (Hit, String)? in
            var total = 0
            for w in words {
                let s = SearchTerms.score(queryWord: w, storedWords: entry.words)
                if s == 0 && !w.optional { return nil }
                total += s
            }
            return (Hit(id: id, score: total), entry.sortName)
        }.sorted { a, b in
            if a.0.score != b.0.score { return a.0.score > b.0.score }
            if a.1 != b.1 { return a.1 < b.1 }
            return a.0.id.uuidString < b.0.id.uuidString
        }
        return Array(ranked.dropFirst(max(0, q.offset)).prefix(max(1, min(q.limit, 500))).map(\.0))
    }

    static func filters(_ q: Query) -> [SQLQueryString] {
        // A merged record is found as the record it was merged into.
        var conditions: [SQLQueryString] = ["p.merged_into IS NULL"]
        if let dob = q.dateOfBirth {
            // As `IdentityMatch.birthAgreement`: the same or fitting date, day and month swapped, or an estimated
            // year up to two years out.
            var c: SQLQueryString = "((p.dob_year = \(bind: dob.year)"
            if let m = dob.month {
                c.appendInterpolation(" AND (p.dob_month IS NULL OR p.dob_month = \(bind: m))" as SQLQueryString)
            }
            if let d = dob.day {
                c.appendInterpolation(" AND (p.dob_day IS NULL OR p.dob_day = \(bind: d))" as SQLQueryString)
            }
            c.appendLiteral(")")
            if let m = dob.month, let d = dob.day {
                c.appendInterpolation(
                    " OR (p.dob_year = \(bind: dob.year) AND p.dob_month = \(bind: d) AND p.dob_day = \(bind: m))"
                        as SQLQueryString)
            }
            c.appendInterpolation(
                " OR (p.dob_year BETWEEN \(bind: dob.year - 2) AND \(bind: dob.year + 2)" as SQLQueryString)
            if dob.estimated {
                c.appendLiteral(")")
            } else {
                c.appendInterpolation(" AND p.dob_estimated = \(bind: true))" as SQLQueryString)
            }
            c.appendLiteral(")")
            conditions.append(c)
        }
        let number = IdentityDocumentDetails.normaliseNumber(q.document)
        if !number.isEmpty {
            conditions.append("p.id IN (SELECT d.person_id FROM identity_documents d WHERE d.number = \(bind: number))")
        }
        return conditions
    }

    static func byFiltersOnly(_ q: Query, _ conditions: [SQLQueryString], on db: any Database) async throws -> [Hit] {
        // Nothing sought but what every search has (not merged): nothing found.
        guard conditions.count > 1 else { return [] }
        var sql: SQLQueryString = "SELECT p.id AS id, 0 AS score FROM persons p WHERE "
        sql.appendInterpolation(SQLList(conditions.map { $0 as any SQLExpression }, separator: SQLRaw(" AND ")))
        sql.appendLiteral(" ORDER BY p.sort_name, p.id")
        return try await page(sql, q, on: db)
    }

    /// The whole match in one grouped query: every word's matching terms, persons matching all words.
    static func grouped(
        _ q: Query, _ words: [SearchTerms.QueryWord], _ conditions: [SQLQueryString], on db: any Database
    ) async throws -> [Hit] {
        var sql = SQLQueryString("")
        sql.appendLiteral("SELECT p.id AS id, s.score AS score FROM (SELECT person_id, SUM(best) AS score FROM (")
        for (i, w) in words.enumerated() {
            if i > 0 { sql.appendLiteral(" UNION ALL ") }
            let fuzzy = SQLList(w.fuzzy.map { SQLBind($0) as any SQLExpression })
            // Another spelling of the word (its sound key) scores as a prefix does; "~" never starts a word.
            let sound = SearchTerms.soundTerm(w.sound ?? "")
            if let r = w.prefixRange {
                sql.appendInterpolation(
                    """
                    SELECT person_id, MAX(CASE WHEN kind = 0 AND term = \(bind: w.word) THEN 3 \
                    WHEN kind = 0 AND term >= \(bind: r.lower) AND term < \(bind: r.upper) THEN 2 \
                    WHEN kind = 2 THEN 2 ELSE 1 END) AS best, \(unsafeRaw: w.optional ? "0" : "1") AS required \
                    FROM person_search_terms WHERE (kind = 0 AND term >= \(bind: r.lower) AND term < \(bind: r.upper)) \
                    OR (kind = 2 AND term = \(bind: sound)) OR (kind < 2 AND term IN (\(fuzzy))) GROUP BY person_id
                    """ as SQLQueryString)
            } else {
                sql.appendInterpolation(
                    """
                    SELECT person_id, MAX(CASE WHEN kind = 0 THEN 3 WHEN kind = 2 THEN 2 ELSE 1 END) AS best, \
                    \(unsafeRaw: w.optional ? "0" : "1") AS required \
                    FROM person_search_terms WHERE (kind = 2 AND term = \(bind: sound)) \
                    OR (kind < 2 AND term IN (\(fuzzy))) GROUP BY person_id
                    """ as SQLQueryString)
            }
        }
        sql.appendInterpolation(
            unsafeRaw: """
                ) m GROUP BY person_id HAVING SUM(required) = \(words.filter { !$0.optional }.count)) s \
                JOIN persons p ON p.id = s.person_id
                """
        )
        if !conditions.isEmpty {
            sql.appendLiteral(" WHERE ")
            sql.appendInterpolation(SQLList(conditions.map { $0 as any SQLExpression }, separator: SQLRaw(" AND ")))
        }
        sql.appendLiteral(" ORDER BY s.score DESC, p.sort_name, p.id")
        return try await page(sql, q, on: db)
    }

    static func page(_ base: SQLQueryString, _ q: Query, on db: any Database) async throws -> [Hit] {
        var sql = base
        sql.appendInterpolation(unsafeRaw: " LIMIT \(max(1, min(q.limit, 500))) OFFSET \(max(0, q.offset))")
        let rows = try await db.sql.raw(sql).all()
        return try rows.map {
            Hit(id: try $0.decode(column: "id", as: UUID.self), score: try $0.decode(column: "score", as: Int.self))
        }
    }

    /// The persons behind the hits as search results: each says how the words sought met its names.
    static func results(for hits: [Hit], name: String, dateOfBirth: PartialDate? = nil, on db: any Database)
        async throws -> [PersonSummary]
    {
        let words = SearchTerms.query(name)
        return try await persons(for: hits, on: db).map { p in
            var summary = PersonSummary(p)
            let stored = p.allNames.flatMap(NameNormaliser.tokens)
            let matches = words.compactMap { SearchTerms.explain($0, storedWords: stored) }
            summary.matches = matches.isEmpty ? nil : matches
            if let sought = dateOfBirth, let held = p.dateOfBirth {
                summary.dateOfBirthMatch = IdentityMatch.birthAgreement(
                    IdentityMatch.birth(sought), IdentityMatch.birth(held))
            }
            return summary
        }
    }

    /// The persons behind the hits, in the hits' order, with their location loaded.
    static func persons(for hits: [Hit], on db: any Database) async throws -> [Person] {
        guard !hits.isEmpty else { return [] }
        let found = try await Person.query(on: db).filter(\.$id ~~ hits.map(\.id)).with(\.$location).with(\.$documents)
            .all()
        let byID = Dictionary(uniqueKeysWithValues: found.map { ($0.id!, $0) })
        return hits.compactMap { byID[$0.id] }
    }
}
