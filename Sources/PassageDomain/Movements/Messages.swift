import Foundation

/// What an SMS to the migrant is about. Each event of a booking sends at most one message per passenger.
public enum SMSEvent: String, CaseIterable, Codable, Sendable {
    case ticketed, reminder, rebooked, cancelled

    /// Placeholders a template for this event must carry.
    public var required: [String] {
        switch self {
        case .ticketed, .rebooked: ["flight", "from", "date", "time"]
        case .reminder: ["flight", "from", "time"]
        case .cancelled: ["flight", "date"]
        }
    }
}

/// SMS templates with `{placeholder}`s, per event and language.
public enum SMSTemplates {
    public static let placeholders = ["name", "flight", "from", "to", "date", "time", "reference"]
    public static let languages = ["en", "nl", "ar", "fa", "fr", "ru", "ti", "so", "es"]

    /// The placeholders a text uses, in order of first use.
    public static func placeholdersUsed(in text: String) -> [String] {
        var out: [String] = []
        var rest = Substring(text)
        while let open = rest.firstIndex(of: "{") {
            guard let close = rest[open...].firstIndex(of: "}") else { break }
            let name = String(rest[rest.index(after: open)..<close])
            if !out.contains(name) { out.append(name) }
            rest = rest[rest.index(after: close)...]
        }
        return out
    }

    /// A template must name every placeholder its event needs and no unknown one.
    public static func validate(_ text: String, event: SMSEvent, field: String = "text") throws {
        var e = ValidationErrors()
        let t = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if t.isEmpty { e.add(field, "is required") }
        if t.count > 480 { e.add(field, "must be at most 480 characters (about three SMS)") }
        let used = placeholdersUsed(in: t)
        let missing = event.required.filter { !used.contains($0) }
        if !missing.isEmpty {
            e.add(
                field,
                "is missing the placeholder " + missing.map { "{\($0)}" }.joined(separator: ", ")
                    + " that a \(event.rawValue) message needs")
        }
        let unknown = used.filter { !placeholders.contains($0) }
        if !unknown.isEmpty {
            e.add(
                field,
                "uses unknown placeholder " + unknown.map { "{\($0)}" }.joined(separator: ", ") + "; use "
                    + placeholders.map { "{\($0)}" }.joined(separator: " "))
        }
        try e.throwIfAny()
    }

    public static func render(_ text: String, _ values: [String: String]) -> String {
        var out = text
        for (k, v) in values { out = out.replacingOccurrences(of: "{\(k)}", with: v) }
        return out
    }

    /// The first of the person's languages that has templates, else English.
    public static func language(for spoken: [String]) -> String {
        spoken.first(where: { languages.contains($0) }) ?? "en"
    }

    /// The templates Passage starts with.
    public static let defaults: [SMSEvent: [String: String]] = [
        .ticketed: [
            "en":
                "Your flight is booked: {flight} from {from} on {date} at {time}. Booking {reference}. Please be at the airport 3 hours before.",
            "nl":
                "Uw vlucht is geboekt: {flight} vanaf {from} op {date} om {time}. Boeking {reference}. Wees 3 uur voor vertrek op de luchthaven.",
            "ar":
                "تم حجز رحلتك: {flight} من {from} في {date} الساعة {time}. رقم الحجز {reference}. يرجى الحضور إلى المطار قبل 3 ساعات.",
            "fa":
                "پرواز شما رزرو شد: {flight} از {from} در تاریخ {date} ساعت {time}. شماره رزرو {reference}. لطفاً ۳ ساعت قبل در فرودگاه باشید.",
            "fr":
                "Votre vol est réservé : {flight} au départ de {from} le {date} à {time}. Réservation {reference}. Présentez-vous à l'aéroport 3 heures avant.",
            "ru":
                "Ваш рейс забронирован: {flight} из {from} {date} в {time}. Бронирование {reference}. Приезжайте в аэропорт за 3 часа.",
            "ti":
                "በረራኹም ተሓዚዩ ኣሎ: {flight} ካብ {from} ዕለት {date} ሰዓት {time}። ቁጽሪ ምሓዝ {reference}። በጃኹም 3 ሰዓት ቀደም ኣብ መዕርፎ ነፈርቲ ተረኸቡ።",
            "so":
                "Duullimaadkaaga waa la ballansaday: {flight} ka ambabaxaya {from} {date} saacadda {time}. Ballanta {reference}. Fadlan garoonka imow 3 saacadood ka hor.",
            "es":
                "Su vuelo está reservado: {flight} desde {from} el {date} a las {time}. Reserva {reference}. Llegue al aeropuerto 3 horas antes.",
        ],
        .reminder: [
            "en":
                "Reminder: your flight {flight} leaves {from} tomorrow, {date} at {time}. Please be at the airport 3 hours before.",
            "nl":
                "Herinnering: uw vlucht {flight} vertrekt morgen, {date} om {time}, vanaf {from}. Wees 3 uur van tevoren op de luchthaven.",
            "ar": "تذكير: رحلتك {flight} تغادر من {from} غداً {date} الساعة {time}. يرجى الحضور إلى المطار قبل 3 ساعات.",
            "fa":
                "یادآوری: پرواز {flight} شما فردا {date} ساعت {time} از {from} حرکت می‌کند. لطفاً ۳ ساعت قبل در فرودگاه باشید.",
            "fr":
                "Rappel : votre vol {flight} part de {from} demain, le {date} à {time}. Présentez-vous à l'aéroport 3 heures avant.",
            "ru":
                "Напоминание: ваш рейс {flight} вылетает из {from} завтра, {date} в {time}. Приезжайте в аэропорт за 3 часа.",
            "ti": "መዘኻኸሪ: በረራኹም {flight} ጽባሕ ዕለት {date} ሰዓት {time} ካብ {from} ይነቅል። በጃኹም 3 ሰዓት ቀደም ኣብ መዕርፎ ነፈርቲ ተረኸቡ።",
            "so":
                "Xusuusin: duullimaadkaaga {flight} wuxuu ka ambabaxayaa {from} berri, {date} saacadda {time}. Fadlan garoonka imow 3 saacadood ka hor.",
            "es":
                "Recordatorio: su vuelo {flight} sale de {from} mañana, {date} a las {time}. Llegue al aeropuerto 3 horas antes.",
        ],
        .rebooked: [
            "en": "Your flight has changed. New flight: {flight} from {from} on {date} at {time}. Booking {reference}.",
            "nl":
                "Uw vlucht is gewijzigd. Nieuwe vlucht: {flight} vanaf {from} op {date} om {time}. Boeking {reference}.",
            "ar": "تم تغيير رحلتك. الرحلة الجديدة: {flight} من {from} في {date} الساعة {time}. رقم الحجز {reference}.",
            "fa":
                "پرواز شما تغییر کرد. پرواز جدید: {flight} از {from} در تاریخ {date} ساعت {time}. شماره رزرو {reference}.",
            "fr":
                "Votre vol a changé. Nouveau vol : {flight} au départ de {from} le {date} à {time}. Réservation {reference}.",
            "ru": "Ваш рейс изменён. Новый рейс: {flight} из {from} {date} в {time}. Бронирование {reference}.",
            "ti": "በረራኹም ተቐይሩ ኣሎ። ሓድሽ በረራ: {flight} ካብ {from} ዕለት {date} ሰዓት {time}። ቁጽሪ ምሓዝ {reference}።",
            "so":
                "Duullimaadkaaga waa la beddelay. Duullimaadka cusub: {flight} ka ambabaxaya {from} {date} saacadda {time}. Ballanta {reference}.",
            "es":
                "Su vuelo ha cambiado. Nuevo vuelo: {flight} desde {from} el {date} a las {time}. Reserva {reference}.",
        ],
        .cancelled: [
            "en": "Your flight {flight} on {date} has been cancelled. Your counsellor will contact you.",
            "nl": "Uw vlucht {flight} op {date} is geannuleerd. Uw begeleider neemt contact met u op.",
            "ar": "تم إلغاء رحلتك {flight} في {date}. سيتصل بك مرشدك.",
            "fa": "پرواز {flight} شما در تاریخ {date} لغو شد. مشاور شما با شما تماس خواهد گرفت.",
            "fr": "Votre vol {flight} du {date} est annulé. Votre conseiller vous contactera.",
            "ru": "Ваш рейс {flight} {date} отменён. Ваш консультант свяжется с вами.",
            "ti": "በረራኹም {flight} ዕለት {date} ተሰሪዙ ኣሎ። ኣማኻሪኹም ክረኽበኩም እዩ።",
            "so": "Duullimaadkaaga {flight} ee {date} waa la joojiyay. La-taliyahaagu wuu kula soo xiriiri doonaa.",
            "es": "Su vuelo {flight} del {date} ha sido cancelado. Su consejero se pondrá en contacto con usted.",
        ],
    ]
}

/// GSM 03.38: text outside its 7-bit alphabet must go as UCS-2 (Kannel's `coding=2`).
public enum SMSEncoding {
    static let basic: Set<Character> = Set(
        "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
    )
    static let extended: Set<Character> = Set("^{}\\[~]|€\u{0C}")

    public static func needsUnicode(_ text: String) -> Bool {
        text.contains { !basic.contains($0) && !extended.contains($0) }
    }
}
