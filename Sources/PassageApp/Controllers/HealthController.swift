import Vapor
import Fluent
import SQLKit

struct HealthController {
    func boot(_ app: Application) {
        app.open(.GET, "healthz") { _ in ["status": "ok"] }
        app.open(.GET, "readyz") { req async throws -> Response in
            do {
                _ = try await req.db.sql.raw("SELECT 1 AS one").first()
                return try await ["status": "ready"].encodeResponse(for: req)
            } catch {
                let res = Response(status: .serviceUnavailable)
                try res.content.encode(["status": "database unreachable"])
                return res
            }
        }
        app.open(.GET, "static", "passage.css") { req -> Response in
            var headers = HTTPHeaders()
            headers.contentType = .init(type: "text", subType: "css", parameters: ["charset": "utf-8"])
            headers.replaceOrAdd(name: .cacheControl, value: "public, max-age=3600")
            return Response(status: .ok, headers: headers, body: .init(string: Stylesheet.css(req.application.modules)))
        }
        app.open(.GET, "static", "passage.js") { _ -> Response in
            var headers = HTTPHeaders()
            headers.contentType = .init(type: "text", subType: "javascript", parameters: ["charset": "utf-8"])
            headers.replaceOrAdd(name: .cacheControl, value: "public, max-age=3600")
            return Response(status: .ok, headers: headers, body: .init(string: Self.script))
        }
    }

    /// The pages work without it; with it, the reader's eyes and keyboard start at what the answer says:
    /// the list of what to fix after a refused form, or the "saved" line after a save.
    static let script = """
        window.addEventListener("load", function () {
          // After the browser has gone to the address's #section, which takes the focus away.
          setTimeout(function () {
            var target = document.querySelector(".error-summary") || document.getElementById("saved");
            if (target) {
              target.focus({ preventScroll: true });
              target.scrollIntoView({ block: "center" });
            }
          }, 0);
        });

        """
}
