/// The period report's figures in Dutch; in English their names and definitions come from `ReportFigure`.
extension Catalogue {
    static let figuresNL: [String: String] = [
        "figure.counselled": "Migranten begeleid",
        "figure.counselled.definition":
            "verschillende personen van terugkeerzaken met een begeleidingsgesprek in de periode",
        "figure.information_sessions": "Voorlichtingsbijeenkomsten",
        "figure.information_sessions.definition": "voorlichtingsbijeenkomsten gehouden in de periode",
        "figure.network_meetings": "Netwerkbijeenkomsten",
        "figure.network_meetings.definition": "netwerkbijeenkomsten gehouden in de periode",
        "figure.departed": "Migranten vertrokken",
        "figure.departed.definition":
            "verschillende personen met een terugkeerboeking gevlogen in de periode (de lokale vertrekdag van de eerste vlucht)",
        "figure.countries_of_return": "Landen van terugkeer",
        "figure.countries_of_return.definition":
            "verschillende landen van terugkeer van de in de periode vertrokken migranten (zoals de zaak het vastlegde toen de boeking gevlogen werd)",
        "figure.unaccompanied_children_returned": "Alleenstaande minderjarigen teruggekeerd",
        "figure.unaccompanied_children_returned.definition":
            "in de periode vertrokken migranten van wie de zaak een alleenstaande minderjarige vastlegt",
        "figure.trafficking_victims_assisted": "Slachtoffers van mensenhandel ondersteund",
        "figure.trafficking_victims_assisted.definition":
            "in de periode vertrokken migranten van wie de zaak een slachtoffer van mensenhandel vastlegt",
        "figure.medical_needs_departed": "Migranten met medische behoeften vertrokken",
        "figure.medical_needs_departed.definition":
            "in de periode vertrokken migranten van wie de zaak medische behoeften vastlegt",
        "figure.escorted": "Migranten vertrokken met begeleiding",
        "figure.escorted.definition":
            "in de periode vertrokken migranten op een boeking met operationele of medische begeleiding",
        "figure.grants": "Herintegratiesubsidies",
        "figure.grants.definition": "herintegratiesubsidies vastgelegd in de periode, per soort",
        "figure.travel_documents_obtained": "Reisdocumenten verkregen",
        "figure.travel_documents_obtained.definition":
            "reisdocumenten door ambassades afgegeven in de periode (de dag van afgifte), per land van de ambassade",
        "figure.airport_departures": "Vertrek van de luchthaven",
        "figure.airport_departures.definition":
            "passagiers van niet-geannuleerde boekingen die in de periode van de hub vertrekken (lokale dag op de hub)",
        "figure.airport_transits": "Overstappen op de luchthaven",
        "figure.airport_transits.definition":
            "passagiers van niet-geannuleerde boekingen die in de periode op de hub overstappen (lokale dag op de hub)",
        "figure.airport_arrivals": "Aankomst op de luchthaven",
        "figure.airport_arrivals.definition":
            "passagiers van niet-geannuleerde boekingen van wie de reis in de periode op de hub eindigt (lokale dag op de hub)",
        "figure.co2_tonnes_with_rf": "CO2e van vluchten, ton (met stralingsforcering)",
        "figure.co2_tonnes_with_rf.definition":
            "CO2e van in de periode gevlogen boekingen: elke passagier en begeleider, grootcirkelafstand × de factor van het jaar met de opslag",
        "figure.co2_tonnes_without_rf": "CO2e van vluchten, ton (zonder stralingsforcering)",
        "figure.co2_tonnes_without_rf.definition": "hetzelfde zonder de opslag voor stralingsforcering",
        "figure.carbon_credit_tonnes": "Gekochte CO2-compensatie, ton",
        "figure.carbon_credit_tonnes.definition": "CO2-compensatie gekocht in de periode",
        "figure.dna_samples_collected": "Afgenomen DNA-monsters",
        "figure.dna_samples_collected.definition":
            "DNA-monsters afgenomen in de periode (de dag van afname van het kantoor), nieuwe afnames inbegrepen, naar "
            + "nationaliteit van de persoon",
        "figure.vc_interviews_held": "Gehouden video-interviews",
        "figure.vc_interviews_held.definition":
            "video-interviews vastgelegd als gehouden, naar de dag van de afspraak en de nationaliteit van de persoon",
        "figure.visa_assistance_families": "Gezinnen geholpen bij hun visumaanvraag",
        "figure.visa_assistance_families.definition":
            "gezinnen die op een dag van de periode op een consulaat zijn geholpen met hun visumaanvraag",
        "figure.visa_assistance_persons": "Personen geholpen bij hun visumaanvraag",
        "figure.visa_assistance_persons.definition": "de personen van die gezinnen",
        "figure.resettlement_arrivals": "Hervestigde vluchtelingen",
        "figure.resettlement_arrivals.definition":
            "personen van hervestigingsreizen die in de periode aankwamen (de dag van aankomst op de hub), naar "
            + "het land van vertrek",
        "figure.resettlement_households_arrived": "Hervestigde huishoudens",
        "figure.resettlement_households_arrived.definition": "huishoudens van die reizen",
        "figure.selection_missions": "Selectiemissies",
        "figure.selection_missions.definition": "selectiemissies die in de periode begonnen",
        "figure.pdo_sessions": "Voorlichtingssessies voor vertrek",
        "figure.pdo_sessions.definition": "voorlichtingssessies voor vertrek die in de periode begonnen",
        "figure.pdo_participants": "Deelnemers aan voorlichting voor vertrek",
        "figure.pdo_participants.definition":
            "verschillende personen die een sessie bijwoonden die in de periode begon",
        "figure.resettlement_medical_escorts": "Hervestigde huishoudens met medische begeleiding",
        "figure.resettlement_medical_escorts.definition":
            "hervestigde huishoudens van de periode die met medische begeleiding reisden",
        "figure.kvac_applications": "Ontvangen Koreaanse visumaanvragen",
        "figure.kvac_applications.definition":
            "aanvragen die in de periode bij het visumaanvraagcentrum zijn ingenomen, naar visumsoort",
        "figure.kvac_passports_returned": "Aan visumaanvragers teruggegeven paspoorten",
        "figure.kvac_passports_returned.definition":
            "paspoorten die in de periode aan hun houders zijn teruggegeven (opgehaald of per koerier)",
        "figure.project_events": "Projectactiviteiten",
        "figure.project_events.definition": "activiteiten van projecten op een dag van de periode, naar soort",
        "figure.project_participants": "Deelnemers aan projectactiviteiten",
        "figure.project_participants.definition": "deelnemers geteld bij die activiteiten, naar groep",
        "figure.diaspora_assignments": "Diaspora-opdrachten",
        "figure.diaspora_assignments.definition":
            "niet geannuleerde diaspora-opdrachten die in de periode begonnen, in het land of online",
        "figure.diaspora_experts": "Diaspora-experts op opdracht",
        "figure.diaspora_experts.definition": "verschillende experts van die opdrachten",
        "figure.diaspora_host_institutions": "Gastinstellingen van diaspora-experts",
        "figure.diaspora_host_institutions.definition": "verschillende gastinstellingen van die opdrachten",
        "figure.kvac_processing_days": "Dagen van inname tot teruggegeven paspoort (mediaan)",
        "figure.kvac_processing_days.definition":
            "het mediane aantal kalenderdagen van inname tot teruggegeven paspoort, van de paspoorten die in de "
            + "periode zijn teruggegeven",
        "figure.mileage_fund_travellers": "Reizigers betaald uit het Mileage Fund",
        "figure.mileage_fund_travellers.definition":
            "verschillende reizigers met een ticket betaald uit het Mileage Fund op een dag van de periode",
    ]
}
