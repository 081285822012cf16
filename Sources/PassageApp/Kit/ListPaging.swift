import Fluent
import PassageDomain
import Vapor

/// A list's page and order as the address carries them (`?page=2&sort=opened&dir=desc`), with the pager
/// and the sortable column headings every list shows.
struct ListPaging: Sendable {
    var page: Int
    var pageSize: Int
    var sort: String
    var descending: Bool

    /// Reads `page`, `sort` and `dir`; a sort the list does not offer, or a direction other than asc/desc, is a 422.
    static func read(
        _ req: Request, sorts: [String], default sort: String, descending: Bool = false, pageSize: Int
    ) throws -> ListPaging {
        let page = try req.queryPage()
        var e = ValidationErrors()
        let raw = req.query[String.self, at: "sort"].flatMap { $0.isEmpty ? nil : $0 } ?? sort
        if !sorts.contains(raw) { e.add("sort", "must be one of " + sorts.joined(separator: ", ")) }
        let dir = req.query[String.self, at: "dir"].flatMap { $0.isEmpty ? nil : $0 }
        if let dir, dir != "asc" && dir != "desc" { e.add("dir", "must be asc or desc") }
        try e.throwIfAny()
        return ListPaging(page: page, pageSize: pageSize, sort: raw, descending: dir.map { $0 == "desc" } ?? descending)
    }

    /// The query parameters of such a list in the API document: its page, the column it is sorted by, the direction.
    static func apiQuery(_ sorts: [String]) -> [APIParameter] {
        [.integer("page", 1...Request.maxPage), .init("sort", .oneOf(sorts)), .init("dir", .oneOf(["asc", "desc"]))]
    }

    /// The rows of this page.
    var range: Range<Int> { ((page - 1) * pageSize)..<(page * pageSize) }

    func pages(_ total: Int) -> Int { max(1, (total + pageSize - 1) / pageSize) }

    /// The address of this list with some of its parameters changed; `query` carries the list's filters.
    func link(_ basePath: String, query: [(String, String)], page: Int? = nil, sort: String? = nil, dir: String? = nil)
        -> String
    {
        var items = query.filter { !$0.1.isEmpty }
        items.append(("sort", sort ?? self.sort))
        items.append(("dir", dir ?? (descending ? "desc" : "asc")))
        if let page, page > 1 { items.append(("page", String(page))) }
        return basePath + "?" + items.map { "\($0.0)=\(urlQuery($0.1))" }.joined(separator: "&")
    }

    /// "Page 2 of 9" with the way back and on, and how many there are in all.
    func pager(total: Int, countText: String, _ basePath: String, query: [(String, String)], _ t: Translator) -> HTML {
        let pages = pages(total)
        let prev: HTML =
            page > 1
            ? "<a href=\"\(link(basePath, query: query, page: page - 1))\" rel=\"prev\">\(t("pager.previous"))</a>"
            : .empty
        let next: HTML =
            page < pages
            ? "<a href=\"\(link(basePath, query: query, page: page + 1))\" rel=\"next\">\(t("pager.next"))</a>"
            : .empty
        return """
            <nav class="pager" aria-label="\(t("pager.label"))">\(prev)<span>\(t("pager.pageof", min(page, pages), pages)) \
            · \(countText)</span>\(next)</nav>
            """
    }

    /// A column heading that sorts the list by `key`; pressed again, the other way round.
    func heading(_ label: String, key: String, _ basePath: String, query: [(String, String)], _ t: Translator) -> HTML {
        let current = sort == key
        let nextDir = current && !descending ? "desc" : "asc"
        let mark = current ? (descending ? " ▼" : " ▲") : ""
        let ariaSort = current ? (descending ? " aria-sort=\"descending\"" : " aria-sort=\"ascending\"") : ""
        return """
            <th\(HTML(raw: ariaSort))><a href="\(link(basePath, query: query, sort: key, dir: nextDir))" \
            title="\(t("pager.sortBy", label))">\(label)\(mark)</a></th>
            """
    }
}
