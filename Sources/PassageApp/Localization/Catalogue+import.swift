/// The import pages' words.
extension Catalogue {
    static let importEN: [String: String] = [
        "nav.imports": "Import",
        "import.title": "Import records",
        "import.intro":
            "Bring in the office's records from another system or from spreadsheets: persons with their documents "
            + "and households, return cases with their intake, sessions, decisions, vulnerabilities, travel documents, "
            + "grants and payments, and outreach. Every row is checked first, as the forms check it; nothing is "
            + "written until you choose to. The same files again change nothing; a corrected file updates what "
            + "changed.",
        "import.choose": "Files (CSV or XLSX, one per kind of record)",
        "import.choose.hint": "Named as in the layout below: persons.csv, return_cases.xlsx, … Up to 48 MB in all.",
        "import.check": "Check the files",
        "import.nofiles": "choose at least one file",
        "import.history": "Imports",
        "import.none": "No imports yet.",
        "import.when": "Started",
        "import.by": "By",
        "import.files": "Files",
        "import.state": "State",
        "import.rows": "Rows",
        "import.refused": "Refused",
        "import.new": "New",
        "import.changed": "Changed",
        "import.unchanged": "Unchanged",
        "import.layout": "The layout of the files",
        "import.layout.intro":
            "One file per kind of record, with a header row naming the columns. Columns are the fields of the forms; "
            + "ref is the office's own reference of the row, and personRef, caseRef and grantRef point at rows of the "
            + "other files (or of an earlier import). Several values in one cell are separated by a semicolon. Dates "
            + "are written 2025-03-14. Locations, embassies, funders and staff are named as Passage knows them.",
        "import.file": "File",
        "import.holds": "One row is",
        "import.required": "Columns it must have",
        "import.optional": "Columns it may have",
        "import.status.checking": "Checking",
        "import.status.writing": "Importing",
        "import.status.checked": "Checked, waiting for you",
        "import.status.refused": "Rows refused",
        "import.status.done": "Imported",
        "import.status.failed": "Failed",
        "import.run": "Import of %1",
        "import.run.by": "By %1 · %2",
        "import.checking": "Checking every row: %1 % done. You may leave this page; the check goes on.",
        "import.checking.label": "Checking",
        "import.writing": "Importing: %1 % done. You may leave this page; the import goes on, even after a restart.",
        "import.writing.label": "Importing",
        "import.checked": "All %1 rows passed the checks (in %2 s). Nothing has been written yet.",
        "import.apply": "Import the %1 rows",
        "import.refused.some": "%1 of %2 rows are refused (below, with file, line and field). Nothing was written.",
        "import.refused.choice":
            "Correct the files and check them again, or import the rows that passed now and the others later.",
        "import.apply.valid": "Import the %1 rows that passed",
        "import.apply.valid.confirm": "The %1 refused rows are left out until a corrected file brings them.",
        "import.refused.all": "The files cannot be imported: %1 problems (below). Nothing was written.",
        "import.done": "Imported: %1 rows in %2 s.",
        "import.done.waiting": "%1 refused rows wait for a corrected file.",
        "import.failed": "The import stopped: %1. Nothing of it was written.",
        "import.problems": "Problems (%1)",
        "import.problems.more": "… and %1 more.",
        "import.line": "Line",
        "import.field": "Column",
        "import.reason": "What is wrong",
    ]

    static let importNL: [String: String] = [
        "nav.imports": "Importeren",
        "import.title": "Gegevens importeren",
        "import.intro":
            "Breng de gegevens van het kantoor over uit een ander systeem of uit spreadsheets: personen met hun "
            + "documenten en huishoudens, terugkeerzaken met intake, gesprekken, besluiten, kwetsbaarheden, "
            + "reisdocumenten, toelagen en betalingen, en voorlichting. Elke regel wordt eerst gecontroleerd zoals de "
            + "formulieren dat doen; er wordt niets opgeslagen voordat u daarvoor kiest. Dezelfde bestanden opnieuw "
            + "veranderen niets; een verbeterd bestand werkt bij wat veranderd is.",
        "import.choose": "Bestanden (CSV of XLSX, één per soort gegeven)",
        "import.choose.hint":
            "Genoemd zoals in de indeling hieronder: persons.csv, return_cases.xlsx, … Samen tot 48 MB.",
        "import.check": "Bestanden controleren",
        "import.nofiles": "kies ten minste één bestand",
        "import.history": "Imports",
        "import.none": "Nog geen imports.",
        "import.when": "Gestart",
        "import.by": "Door",
        "import.files": "Bestanden",
        "import.state": "Stand",
        "import.rows": "Regels",
        "import.refused": "Geweigerd",
        "import.new": "Nieuw",
        "import.changed": "Gewijzigd",
        "import.unchanged": "Ongewijzigd",
        "import.layout": "De indeling van de bestanden",
        "import.layout.intro":
            "Eén bestand per soort gegeven, met een kopregel die de kolommen noemt. De kolommen zijn de velden van de "
            + "formulieren; ref is de eigen referentie van het kantoor voor de regel, en personRef, caseRef en "
            + "grantRef verwijzen naar regels van de andere bestanden (of van een eerdere import). Meerdere waarden "
            + "in één cel "
            + "worden gescheiden door een puntkomma. Datums schrijft u als 2025-03-14. Locaties, ambassades, "
            + "financiers en medewerkers heten zoals Passage ze kent.",
        "import.file": "Bestand",
        "import.holds": "Eén regel is",
        "import.required": "Verplichte kolommen",
        "import.optional": "Mogelijke kolommen",
        "import.status.checking": "Wordt gecontroleerd",
        "import.status.writing": "Wordt geïmporteerd",
        "import.status.checked": "Gecontroleerd, wacht op u",
        "import.status.refused": "Regels geweigerd",
        "import.status.done": "Geïmporteerd",
        "import.status.failed": "Mislukt",
        "import.run": "Import van %1",
        "import.run.by": "Door %1 · %2",
        "import.checking":
            "Elke regel wordt gecontroleerd: %1 % klaar. U kunt deze pagina verlaten; de controle gaat door.",
        "import.checking.label": "Controle",
        "import.writing":
            "Importeren: %1 % klaar. U kunt deze pagina verlaten; de import gaat door, ook na een herstart.",
        "import.writing.label": "Importeren",
        "import.checked": "Alle %1 regels zijn door de controle gekomen (in %2 s). Er is nog niets opgeslagen.",
        "import.apply": "De %1 regels importeren",
        "import.refused.some":
            "%1 van de %2 regels zijn geweigerd (hieronder, met bestand, regel en kolom). Er is niets opgeslagen.",
        "import.refused.choice":
            "Verbeter de bestanden en controleer ze opnieuw, of importeer nu de goedgekeurde regels en de andere "
            + "later.",
        "import.apply.valid": "De %1 goedgekeurde regels importeren",
        "import.apply.valid.confirm": "De %1 geweigerde regels blijven buiten tot een verbeterd bestand ze brengt.",
        "import.refused.all":
            "De bestanden kunnen niet worden geïmporteerd: %1 problemen (hieronder). Er is niets opgeslagen.",
        "import.done": "Geïmporteerd: %1 regels in %2 s.",
        "import.done.waiting": "%1 geweigerde regels wachten op een verbeterd bestand.",
        "import.failed": "De import is gestopt: %1. Er is niets van opgeslagen.",
        "import.problems": "Problemen (%1)",
        "import.problems.more": "… en nog %1.",
        "import.line": "Regel",
        "import.field": "Kolom",
        "import.reason": "Wat er mis is",
    ]
}
