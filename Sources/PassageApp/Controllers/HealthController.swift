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
        // Made once: the stylesheet is the shared one and the modules'.
        let css = Stylesheet.css(app.modules)
        app.open(.GET, "static", "passage.css") { _ in Self.asset(css, subType: "css") }
        app.open(.GET, "static", "passage.js") { _ in Self.asset(Self.script, subType: "javascript") }
    }

    static func asset(_ text: String, subType: String) -> Response {
        var headers = HTTPHeaders()
        headers.contentType = .init(type: "text", subType: subType, parameters: ["charset": "utf-8"])
        headers.replaceOrAdd(name: .cacheControl, value: "public, max-age=3600")
        return Response(status: .ok, headers: headers, body: .init(string: text))
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

        // A region that shows work in progress asks its own address again every few seconds and takes the new
        // content in place (a screen reader hears it through role=status); it stops when the work has ended.
        document.addEventListener("DOMContentLoaded", function () {
          document.querySelectorAll("[data-poll]").forEach(function (region) {
            var timer = setInterval(function () {
              fetch(region.getAttribute("data-poll"), { credentials: "same-origin" })
                .then(function (r) { return r.ok ? r.text() : null; })
                .then(function (html) {
                  if (html === null) { return; }
                  var fresh = new DOMParser().parseFromString(html, "text/html").body.firstElementChild;
                  if (!fresh) { return; }
                  region.innerHTML = fresh.innerHTML;
                  if (!fresh.hasAttribute("data-poll")) { clearInterval(timer); }
                });
            }, 3000);
          });
          // A button that prints the page (inline handlers are not allowed by the content security policy).
          document.querySelectorAll("button[data-print]").forEach(function (button) {
            button.addEventListener("click", function () { window.print(); });
          });
        });

        """
}
