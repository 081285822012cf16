import PassageDomain

extension Catalogue {
    /// Dutch for the field messages the rules give in English. A message with a value in it
    /// (an unknown code, say) that is not listed here is shown in English.
    static let messagesNL: [String: String] = [
        "at most 50 lines": "hoogstens 50 regels",
        "say what the amount is for": "zeg waarvoor het bedrag is",
        "give the other person's name or reference (P-…)": "geef de naam of het kenmerk (P-…) van de andere persoon",
        "no one of that name or reference was found: try another spelling or the reference (P-…)":
            "niemand met die naam of dat kenmerk gevonden: probeer een andere spelling of het kenmerk (P-…)",
        "choose the person meant from the list below": "kies hieronder de bedoelde persoon",
        "a partner account has the partner role only": "een partneraccount heeft alleen de rol partner",
        "a partner account must be bound to a partner organisation":
            "een partneraccount hoort bij een partnerorganisatie",
        "an embassy needs the country it represents": "een ambassade heeft het land nodig dat zij vertegenwoordigt",
        "another location already has this name": "een andere locatie heeft deze naam al",
        "another partner already has this name": "een andere partner heeft deze naam al",
        "at most 20 aliases": "hoogstens 20 aliassen",
        "choose at least one role": "kies minstens één rol",
        "give the other person's reference (P-…) or id": "geef het kenmerk (P-…) of id van de andere persoon",
        "give the token a name of at most 100 characters (what it is for)":
            "geef het token een naam van hoogstens 100 tekens (waarvoor het is)",
        "is already taken": "is al in gebruik",
        "is more than 130 years ago": "ligt meer dan 130 jaar terug",
        "is not a known location": "is geen bekende locatie",
        "is not a known partner organisation": "is geen bekende partnerorganisatie",
        "is not a known person": "is geen bekende persoon",
        "is not an active member of staff": "is geen actieve medewerker",
        "is not an e-mail address": "is geen e-mailadres",
        "is required": "is verplicht",
        "is required (XX when unknown)": "is verplicht (XX als onbekend)",
        "is required (at most 200 characters)": "is verplicht (hoogstens 200 tekens)",
        "must be a date like 1990-05-21, 1990-05 or 1990 (a year alone is fine when the day is unknown)":
            "moet een datum zijn zoals 1990-05-21, 1990-05 of 1990 (alleen een jaar mag als de dag onbekend is)",
        "must be a full date like 2026-03-14": "moet een volledige datum zijn zoals 2026-03-14",
        "must be an ISO 3166-1 country code, like NL": "moet een ISO 3166-1-landcode zijn, zoals NL",
        "must be an ISO 3166-1 country code, like SY": "moet een ISO 3166-1-landcode zijn, zoals SY",
        "must be a phone number, like 06 1234 5678 or +31 6 1234 5678":
            "moet een telefoonnummer zijn, zoals 06 1234 5678 of +31 6 1234 5678",
        "must be at most 2000 characters": "mag hoogstens 2000 tekens zijn",
        "must be at least 12 characters": "moet minstens 12 tekens zijn",
        "must be one of F, M, X or U": "moet F, M, X of U zijn",
        "must not be in the future": "mag niet in de toekomst liggen",
        "must not be before the eligibility decision": "mag niet vóór het besluit over de geschiktheid liggen",
        "must not be after the departure": "mag niet na het vertrek liggen",
        "say how the person left without a flown booking (e.g. on their own ticket)":
            "zeg hoe de persoon vertrok zonder gevlogen boeking (bijv. met een eigen ticket)",
        "say why the case is closed": "geef aan waarom het dossier wordt gesloten",
        "use at most 64 letters, digits, dots, dashes or underscores":
            "gebruik hoogstens 64 letters, cijfers, punten, streepjes of liggende streepjes",
        "is required (letters and digits)": "is verplicht (letters en cijfers)",
        "is required (a date like 2026-03-14)": "is verplicht (een datum zoals 2026-03-14)",
        "is required (an amount in euros, like 1500.00)": "is verplicht (een bedrag in euro, zoals 1500.00)",
        "must be an amount in euros, like 1500.00": "moet een bedrag in euro zijn, zoals 1500.00",
        "must be more than zero": "moet meer dan nul zijn",
        "must be a language: its name (Arabic, Tigrinya) or its ISO 639 code (ar, ti)":
            "moet een taal zijn: de naam (Arabisch, Tigrinya) of de ISO 639-code (ar, ti)",
        "must be an ISO 3166-1 country code, like MA": "moet een ISO 3166-1-landcode zijn, zoals MA",
        "must be the country the person goes to, not XX (unknown)":
            "moet het land zijn waar de persoon heen gaat, niet XX (onbekend)",
        "must be a country other than the host country": "moet een ander land zijn dan het gastland",
        "must be a number of minutes from 5 to 600": "moet een aantal minuten van 5 tot 600 zijn",
        "must not be before the request date": "mag niet voor de aanvraagdatum liggen",
        "must not be before the assessment date": "mag niet voor de beoordelingsdatum liggen",
        "is not an embassy in the partner registry": "is geen ambassade in het partnerregister",
        "say why (it goes on the timeline)": "geef aan waarom (het komt op de tijdlijn)",
        "can only be given once the assessment is received": "kan pas worden gegeven als het onderzoek is ontvangen",
        "must be a number from 0 to 10000": "moet een getal van 0 tot 10000 zijn",
        "must be at most 200 characters": "mag hoogstens 200 tekens zijn",
        "give at least one rule": "geef minstens één regel",
    ]
}

extension Translator {
    /// The field messages of a refused form, in the viewer's language.
    func localized(_ errors: ValidationErrors?) -> ValidationErrors? {
        guard let errors else { return nil }
        var out = ValidationErrors()
        for item in errors.items {
            // On a page a vocabulary is a list to choose from: its stored words are not for people.
            if item.message.hasPrefix("is required: be one of ") {
                out.add(item.field, self("form.choose.required"))
            } else if item.message.hasPrefix("must be one of ") {
                out.add(item.field, self("form.choose"))
            } else {
                out.add(item.field, locale == "nl" ? Catalogue.messagesNL[item.message] ?? item.message : item.message)
            }
        }
        return out
    }
}
