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

    struct Hit: Sendable { let id: UUID; let score: Int }

    /// Returns matching person ids, best first.
    static func run(_ q: Query, on db: any Database) async throws -> [Hit] {
        let words = SearchTerms.query(q.name)
        var sql = SQLQueryString("")
        var conditions: [SQLQueryString] = []
        if let dob = q.dateOfBirth {
            var c: SQLQueryString = "p.dob_year = \(bind: dob.year)"
            if let m = dob.month { c.appendInterpolation(unsafeRaw: " AND (p.dob_month IS NULL OR p.dob_month = "); c.appendInterpolation(bind: m); c.appendLiteral(")") }
            if let d = dob.day { c.appendInterpolation(unsafeRaw: " AND (p.dob_day IS NULL OR p.dob_day = "); c.appendInterpolation(bind: d); c.appendLiteral(")") }
            conditions.append(c)
        }
        let number = IdentityDocumentDetails.normaliseNumber(q.document)
        if !number.isEmpty {
            conditions.append("p.id IN (SELECT d.person_id FROM identity_documents d WHERE d.number = \(bind: number))")
        }
        if words.isEmpty {
            guard !conditions.isEmpty else { return [] }
            sql.appendLiteral("SELECT p.id AS id, 0 AS score FROM persons p WHERE ")
            sql.appendInterpolation(SQLList(conditions.map { $0 as any SQLExpression }, separator: SQLRaw(" AND ")))
            sql.appendLiteral(" ORDER BY p.sort_name, p.id")
        } else {
            sql.appendLiteral("SELECT p.id AS id, s.score AS score FROM (SELECT person_id, SUM(best) AS score FROM (")
            for (i, w) in words.enumerated() {
                if i > 0 { sql.appendLiteral(" UNION ALL ") }
                let fuzzy = SQLList(w.fuzzy.map { SQLBind($0) as any SQLExpression })
                if let r = w.prefixRange {
                    sql.appendInterpolation("""
                        SELECT person_id, MAX(CASE WHEN kind = 0 AND term = \(bind: w.word) THEN 3 \
                        WHEN kind = 0 AND term >= \(bind: r.lower) AND term < \(bind: r.upper) THEN 2 ELSE 1 END) AS best \
                        FROM person_search_terms WHERE (kind = 0 AND term >= \(bind: r.lower) AND term < \(bind: r.upper)) \
                        OR term IN (\(fuzzy)) GROUP BY person_id
                        """ as SQLQueryString)
                } else {
                    sql.appendInterpolation("""
                        SELECT person_id, MAX(CASE WHEN kind = 0 THEN 3 ELSE 1 END) AS best \
                        FROM person_search_terms WHERE term IN (\(fuzzy)) GROUP BY person_id
                        """ as SQLQueryString)
                }
            }
            sql.appendInterpolation(unsafeRaw: ") m GROUP BY person_id HAVING COUNT(*) = \(words.count)) s JOIN persons p ON p.id = s.person_id")
            if !conditions.isEmpty {
                sql.appendLiteral(" WHERE ")
                sql.appendInterpolation(SQLList(conditions.map { $0 as any SQLExpression }, separator: SQLRaw(" AND ")))
            }
            sql.appendLiteral(" ORDER BY s.score DESC, p.sort_name, p.id")
        }
        sql.appendInterpolation(unsafeRaw: " LIMIT \(max(1, min(q.limit, 500))) OFFSET \(max(0, q.offset))")
        let rows = try await db.sql.raw(sql).all()
        return try rows.map { Hit(id: try $0.decode(column: "id", as: UUID.self), score: try $0.decode(column: "score", as: Int.self)) }
    }

    /// The persons behind the hits, in the hits' order, with their location loaded.
    static func persons(for hits: [Hit], on db: any Database) async throws -> [Person] {
        guard !hits.isEmpty else { return [] }
        let found = try await Person.query(on: db).filter(\.$id ~~ hits.map(\.id)).with(\.$location).with(\.$documents).all()
        let byID = Dictionary(uniqueKeysWithValues: found.map { ($0.id!, $0) })
        return hits.compactMap { byID[$0.id] }
    }
}
