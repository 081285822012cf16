/// The one stylesheet: readable on a laptop and a tablet, printable, no build step.
enum Stylesheet {
    /// The shared rules and every module's own.
    static func css(_ modules: [any PassageModule]) -> String {
        ([css] + modules.map(\.stylesheet).filter { !$0.isEmpty }).joined(separator: "\n")
    }

    static let css = """
        :root { --ink:#1d2733; --muted:#5b6775; --line:#d5dbe2; --bg:#f5f7f9; --brand:#0b5394; --warn:#b3261e; \
        --ok:#1e7b34; }
        * { box-sizing: border-box; }
        body { margin:0; font: 16px/1.45 system-ui, "Noto Sans", "Noto Sans Arabic", "Noto Sans Ethiopic", sans-serif; \
        color:var(--ink); background:var(--bg); }
        header.top { display:flex; flex-wrap:wrap; align-items:center; gap:1rem; padding:.6rem 1rem; \
        background:var(--brand); color:#fff; }
        header.top a { color:#fff; text-decoration:none; }
        .brand { font-weight:700; font-size:1.2rem; }
        header nav { display:flex; flex-wrap:wrap; gap:1rem; flex:1; }
        header nav a:hover { text-decoration:underline; }
        .session { display:flex; gap:.8rem; align-items:center; }
        .session .who { opacity:.9; }
        button.link { background:none; border:none; color:inherit; cursor:pointer; font:inherit; padding:0; \
        text-decoration:underline; }
        form.inline { display:inline; margin:0; }
        main { max-width:1100px; margin:1rem auto; padding:0 1rem 3rem; }
        h1 { font-size:1.5rem; margin:.5rem 0 1rem; }
        h2 { font-size:1.15rem; margin:1.5rem 0 .5rem; }
        section.card, form.card { background:#fff; border:1px solid var(--line); border-radius:6px; padding:1rem \
        1.2rem; margin-bottom:1rem; }
        table { width:100%; border-collapse:collapse; background:#fff; }
        th, td { text-align:start; padding:.45rem .6rem; border-bottom:1px solid var(--line); vertical-align:top; }
        th { background:#eef2f6; font-weight:600; }
        .field { display:flex; flex-direction:column; margin-bottom:.8rem; }
        .field > span:first-child { font-weight:600; margin-bottom:.2rem; }
        .field input, .field select, textarea { font:inherit; padding:.45rem .5rem; border:1px solid #9aa6b2; \
        border-radius:4px; min-height:2.5rem; }
        .field.has-error input, .field.has-error select { border-color:var(--warn); border-width:2px; }
        .field-error { color:var(--warn); font-weight:600; }
        .field input[type=checkbox] { min-height:auto; width:1.4rem; height:1.4rem; align-self:flex-start; }
        .hint { color:var(--muted); font-size:.9rem; }
        .grid { display:grid; grid-template-columns:repeat(auto-fit, minmax(240px, 1fr)); gap:0 1.2rem; }
        .btn, button.primary { display:inline-block; background:var(--brand); color:#fff; border:none; \
        border-radius:4px; padding:.55rem 1rem; font:inherit; cursor:pointer; text-decoration:none; min-height:2.5rem; }
        .btn.secondary { background:#fff; color:var(--brand); border:1px solid var(--brand); }
        button.danger { background:var(--warn); color:#fff; border:none; border-radius:4px; padding:.4rem .8rem; \
        cursor:pointer; }
        .error-summary { border:2px solid var(--warn); background:#fff3f2; padding:.6rem 1rem; margin-bottom:1rem; \
        border-radius:4px; }
        .error-summary h2 { margin:.2rem 0; color:var(--warn); }
        progress { width: 100%; max-width: 36rem; height: 1.25rem; }
        .notice { background:#e9f6ec; border:1px solid var(--ok); padding:.6rem 1rem; border-radius:4px; \
        margin-bottom:1rem; }
        .muted { color:var(--muted); }
        .empty { color:var(--muted); font-style:italic; padding:1rem; background:#fff; border:1px dashed var(--line); }
        .filters { display:flex; flex-wrap:wrap; gap:.8rem; align-items:flex-end; }
        .filters .field { margin-bottom:0; min-width:160px; }
        .pager { display:flex; gap:1rem; margin-top:.8rem; align-items:center; }
        dl.facts { display:grid; grid-template-columns:max-content minmax(0, 1fr); gap:.3rem 1rem; margin:0; }
        dl.facts dt { font-weight:600; color:var(--muted); }
        dl.facts dd { margin:0; min-width:0; overflow-wrap:anywhere; }
        @media (max-width: 600px) { dl.facts { grid-template-columns:minmax(0, 1fr); gap:.1rem; }         dl.facts dd { margin-bottom:.4rem; } }
        .original { font-size:1.1rem; }
        [dir=rtl] { unicode-bidi:isolate; }
        .badge { display:inline-block; padding:.05rem .5rem; border-radius:1rem; background:#e3e9ef; font-size:.85rem; }
        .badge.open { background:#dcefdc; } .badge.closed { background:#e6e6e6; } .badge.on_hold { background:#fff0c2; }
        ol.timeline { list-style:none; padding:0; margin:0; border-inline-start:3px solid var(--line); }
        ol.timeline li { padding:.3rem .8rem; }
        ol.timeline time { color:var(--muted); font-size:.9rem; margin-inline-end:.6rem; }
        .login { max-width:380px; margin:3rem auto; }
        details.confirm summary { cursor:pointer; color:var(--warn); }
        details.confirm[open] { background:#fff3f2; padding:.3rem; border-radius:4px; }
        details > summary { cursor:pointer; margin:.5rem 0; font-weight:600; }
        .token { font-family:monospace; background:#fff8d6; padding:.5rem; word-break:break-all; }
        .warning { border:2px solid #c77700; background:#fff6e5; padding:.6rem 1rem; margin-bottom:1rem; \
        border-radius:4px; }
        .warning ul { margin:.3rem 0 0; }
        .check-line { display:block; padding:.2rem 0; }
        .check-line input { width:1.2rem; height:1.2rem; vertical-align:middle; }
        fieldset.card { border:1px solid var(--line); border-radius:6px; }
        td.late { color:var(--warn); font-weight:600; }
        .nowrap { white-space:nowrap; }
        .actions { display:flex; flex-wrap:wrap; gap:.5rem; }
        nav.jump { display:flex; flex-wrap:wrap; gap:.4rem 1rem; border-top:1px solid var(--line); padding-top:.6rem; }
        .scroll { overflow-x:auto; }
        table.matrix td { text-align:center; } table.matrix th[scope=row] { min-width:14rem; max-width:20rem; }
        table.matrix th[scope=row] .hint { font-weight:normal; font-size:.85em; }
        .sr-only { position:absolute; width:1px; height:1px; overflow:hidden; clip-path:inset(50%); white-space:nowrap; }
        .check-line.inline { display:inline-block; margin-inline-end:1rem; }
        .card.duplicates { border:2px solid #c77700; background:#fff6e5; }
        ul.reasons { margin:0; padding-inline-start:1rem; } ul.reasons li.against { color:var(--muted); }
        .score { font-weight:700; font-size:1.1rem; }
        .badge.warn, .badge.withdrawn, .badge.lapsed { background:#fde2e0; } .badge.live { background:#dcefdc; }
        a.badge[aria-current] { background:#0b4f8a; color:#fff; }
        .done { color:var(--ok); font-weight:600; } .done.nothing { color:var(--muted); font-weight:normal; }
        fieldset.inline-set { border:none; padding:0; margin:0 0 .8rem; } fieldset.inline-set legend { \
        font-weight:600; }
        table.report td.num { text-align:end; white-space:nowrap; } table.report td.definition { color:var(--muted); \
        font-size:.9rem; }
        table.report tr.part td { color:var(--muted); font-size:.92rem; } table.report tr.part td:first-child { \
        padding-inline-start:1.6rem; }
        table.report.monthly thead th:not(:first-child), table.report th.num { text-align:end; }
        .stats { display:flex; flex-wrap:wrap; gap:1rem; margin-bottom:1rem; }
        .stat { background:#fff; border:1px solid var(--line); border-radius:6px; padding:.8rem 1.2rem; display:flex; \
        flex-direction:column; min-width:180px; }
        .stat .big { font-size:2rem; font-weight:700; } .stat .big.warn { color:var(--warn); }
        .dash { display:grid; grid-template-columns:repeat(auto-fit, minmax(260px, 1fr)); gap:1rem; }
        .charts { display:grid; grid-template-columns:repeat(auto-fit, minmax(min(100%, 540px), 1fr)); gap:1rem; }
        figure.chart { margin:0; overflow-x:auto; } figure.chart svg { width:100%; min-width:480px; height:auto; \
        font-size:16px; }
        svg.chart text { fill:#1d2b36; } svg.chart .bar { fill:#2f6ea5; } svg.chart .bar.s1 { fill:#c77700; } \
        svg.chart .bar.s2 { fill:#2e7d32; }
        svg.chart .axis { stroke:#9aa6b2; } svg.chart .tick { font-size:14px; }
        figure.chart figcaption { font-weight:600; margin-top:.3rem; }
        @media print { .filters, nav.jump { display:none; } }
        @media print { header.top, form, .pager, details { display:none; } body { background:#fff; } article.letter { \
        border:none; } }
        @media (max-width: 700px) { th, td { padding:.35rem; font-size:.95rem; } }
        """
}
