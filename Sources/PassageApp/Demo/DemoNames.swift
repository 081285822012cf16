/// Name pools for demo and benchmark data: Latin spelling with the original script, by nationality.
enum DemoNames {
    struct Pool: Sendable {
        let nationalities: [String]
        let languages: [String]
        let given: [(String, String?)]
        let family: [(String, String?)]
        let phonePrefix: String
        let weight: Int
    }

    static let arabicGiven: [(String, String?)] = [
        ("Mohammed", "محمد"), ("Ahmad", "أحمد"), ("Ali", "علي"), ("Omar", "عمر"), ("Khaled", "خالد"), ("Hassan", "حسن"),
        ("Youssef", "يوسف"), ("Fatima", "فاطمة"), ("Aisha", "عائشة"), ("Maryam", "مريم"), ("Noor", "نور"),
        ("Layla", "ليلى"),
        ("Rania", "رانيا"), ("Samir", "سمير"), ("Karim", "كريم"), ("Huda", "هدى"), ("Ibrahim", "إبراهيم"),
        ("Salma", "سلمى"),
    ]
    static let arabicFamily: [(String, String?)] = [
        ("Al-Hassan", "الحسن"), ("Haddad", "حداد"), ("Khalil", "خليل"), ("Ibrahim", "إبراهيم"), ("Mansour", "منصور"),
        ("Saleh", "صالح"), ("Nasser", "ناصر"), ("Darwish", "درويش"), ("Abdullah", "عبدالله"), ("Hamdan", "حمدان"),
        ("Al-Masri", "المصري"), ("Benali", "بن علي"), ("El Amrani", "العمراني"), ("Bouzid", "بوزيد"),
        ("Yassin", "ياسين"),
    ]
    static let geezGiven: [(String, String?)] = [
        ("Yonas", "ዮናስ"), ("Semhar", "ሰምሃር"), ("Tesfay", "ተስፋይ"), ("Selam", "ሰላም"), ("Filmon", "ፊልሞን"),
        ("Helen", "ሄለን"),
        ("Merhawi", "መርሃዊ"), ("Ruta", "ሩታ"), ("Daniel", "ዳኒኤል"), ("Mebrahtu", "መብራህቱ"), ("Senait", "ሰናይት"),
        ("Abel", "ኣቤል"),
    ]
    static let geezFamily: [(String, String?)] = [
        ("Tekle", "ተኽለ"), ("Haile", "ሃይለ"), ("Gebremedhin", "ገብረመድህን"), ("Berhe", "በርሀ"), ("Kidane", "ኪዳነ"),
        ("Woldu", "ወልዱ"), ("Habte", "ሃብተ"), ("Ghebreyesus", "ገብረየሱስ"), ("Tesfamariam", "ተስፋማርያም"),
    ]
    static let persianGiven: [(String, String?)] = [
        ("Ahmad", "احمد"), ("Mohammad", "محمد"), ("Farid", "فرید"), ("Zahra", "زهرا"), ("Mariam", "مریم"),
        ("Habib", "حبیب"),
        ("Nasrin", "نسرین"), ("Wahid", "وحید"), ("Reza", "رضا"), ("Sara", "سارا"), ("Mehdi", "مهدی"),
        ("Parisa", "پریسا"),
    ]
    static let persianFamily: [(String, String?)] = [
        ("Ahmadi", "احمدی"), ("Rahimi", "رحیمی"), ("Karimi", "کریمی"), ("Hashimi", "هاشمی"), ("Noori", "نوری"),
        ("Sultani", "سلطانی"), ("Mohammadi", "محمدی"), ("Hosseini", "حسینی"), ("Rezaei", "رضایی"), ("Moradi", "مرادی"),
    ]
    static let cyrillicGiven: [(String, String?)] = [
        ("Ivan", "Иван"), ("Olga", "Ольга"), ("Sergei", "Сергей"), ("Natalia", "Наталья"), ("Dmitri", "Дмитрий"),
        ("Elena", "Елена"), ("Alexei", "Алексей"), ("Tatiana", "Татьяна"), ("Artyom", "Артём"), ("Yulia", "Юлия"),
    ]
    static let cyrillicFamily: [(String, String?)] = [
        ("Ivanov", "Иванов"), ("Petrova", "Петрова"), ("Smirnov", "Смирнов"), ("Kuznetsova", "Кузнецова"),
        ("Popov", "Попов"),
        ("Volkov", "Волков"), ("Sokolova", "Соколова"), ("Lebedev", "Лебедев"), ("Fyodorov", "Фёдоров"),
    ]
    static let georgianGiven: [(String, String?)] = [
        ("Giorgi", "გიორგი"), ("Nino", "ნინო"), ("Levan", "ლევან"), ("Tamar", "თამარ"), ("Davit", "დავით"),
    ]
    static let georgianFamily: [(String, String?)] = [
        ("Beridze", "ბერიძე"), ("Kapanadze", "კაპანაძე"), ("Gelashvili", "გელაშვილი"), ("Maisuradze", "მაისურაძე"),
    ]
    static let mongolianGiven: [(String, String?)] = [
        ("Bat-Erdene", "Бат-Эрдэнэ"), ("Oyuun", "Оюун"), ("Bolormaa", "Болормаа"), ("Temuujin", "Тэмүүжин"),
    ]
    static let mongolianFamily: [(String, String?)] = [
        ("Dorj", "Дорж"), ("Ganbaatar", "Ганбаатар"), ("Batbayar", "Батбаяр"),
    ]
    static let chineseGiven: [(String, String?)] = [
        ("Wei", "伟"), ("Fang", "芳"), ("Lei", "磊"), ("Jing", "静"), ("Min", "敏"),
    ]
    static let chineseFamily: [(String, String?)] = [
        ("Wang", "王"), ("Li", "李"), ("Zhang", "张"), ("Liu", "刘"), ("Chen", "陈"),
    ]
    static let turkishGiven: [(String, String?)] = [
        ("Mehmet", nil), ("Ayşe", nil), ("Mustafa", nil), ("Emine", nil), ("Hüseyin", nil), ("Zeynep", nil),
        ("Gökhan", nil), ("Şükrü", nil),
    ]
    static let turkishFamily: [(String, String?)] = [
        ("Yılmaz", nil), ("Kaya", nil), ("Demir", nil), ("Şahin", nil), ("Çelik", nil), ("Öztürk", nil),
    ]
    static let westAfricanGiven: [(String, String?)] = [
        ("Chinedu", nil), ("Ngozi", nil), ("Emeka", nil), ("Kwame", nil), ("Ama", nil), ("Kofi", nil), ("Adwoa", nil),
        ("Fatou", nil),
    ]
    static let westAfricanFamily: [(String, String?)] = [
        ("Okafor", nil), ("Mensah", nil), ("Boateng", nil), ("Adeyemi", nil), ("Owusu", nil), ("Diallo", nil),
    ]
    static let spanishGiven: [(String, String?)] = [
        ("José", nil), ("María", nil), ("Juan", nil), ("Lucía", nil), ("Andrés", nil), ("Sofía", nil),
    ]
    static let spanishFamily: [(String, String?)] = [
        ("García", nil), ("Rodríguez", nil), ("Martínez", nil), ("Pérez", nil), ("Gómez", nil), ("Hernández", nil),
    ]
    static let somaliGiven: [(String, String?)] = [
        ("Abdi", nil), ("Hodan", nil), ("Mohamed", nil), ("Amina", nil), ("Farah", nil), ("Ayaan", nil),
    ]
    static let somaliFamily: [(String, String?)] = [
        ("Warsame", nil), ("Hassan", nil), ("Abdullahi", nil), ("Jama", nil), ("Osman", nil),
    ]

    static let pools: [Pool] = [
        Pool(
            nationalities: ["SY", "IQ", "LB", "YE", "SD"], languages: ["ar"], given: arabicGiven, family: arabicFamily,
            phonePrefix: "+31 6", weight: 24),
        Pool(
            nationalities: ["MA", "DZ", "TN", "EG", "LY"], languages: ["ar", "fr"], given: arabicGiven,
            family: arabicFamily, phonePrefix: "+31 6", weight: 14),
        Pool(
            nationalities: ["ER", "ET"], languages: ["ti", "am"], given: geezGiven, family: geezFamily,
            phonePrefix: "+31 6", weight: 12),
        Pool(
            nationalities: ["AF", "IR"], languages: ["fa", "ps"], given: persianGiven, family: persianFamily,
            phonePrefix: "+31 6", weight: 12),
        Pool(
            nationalities: ["RU", "BY", "UA", "MD"], languages: ["ru"], given: cyrillicGiven, family: cyrillicFamily,
            phonePrefix: "+31 6", weight: 8),
        Pool(
            nationalities: ["GE"], languages: ["ka", "ru"], given: georgianGiven, family: georgianFamily,
            phonePrefix: "+31 6", weight: 5),
        Pool(
            nationalities: ["MN"], languages: ["mn"], given: mongolianGiven, family: mongolianFamily,
            phonePrefix: "+31 6", weight: 3),
        Pool(
            nationalities: ["CN"], languages: ["zh"], given: chineseGiven, family: chineseFamily, phonePrefix: "+31 6",
            weight: 3),
        Pool(
            nationalities: ["TR"], languages: ["tr"], given: turkishGiven, family: turkishFamily, phonePrefix: "+31 6",
            weight: 7),
        Pool(
            nationalities: ["NG", "GH", "GN", "SN"], languages: ["en", "fr"], given: westAfricanGiven,
            family: westAfricanFamily, phonePrefix: "+31 6", weight: 6),
        Pool(
            nationalities: ["CO", "VE", "BR"], languages: ["es", "pt"], given: spanishGiven, family: spanishFamily,
            phonePrefix: "+31 6", weight: 4),
        Pool(
            nationalities: ["SO"], languages: ["so"], given: somaliGiven, family: somaliFamily, phonePrefix: "+31 6",
            weight: 2),
    ]
}

/// A small, seedable generator so that demo and benchmark data are the same on every run.
public struct SeededRandom: RandomNumberGenerator, Sendable {
    private var state: UInt64
    public init(seed: UInt64) { state = seed }
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

extension DemoNames {
    /// A plausible person's form, drawn from the pools.
    static func randomPerson(_ rng: inout SeededRandom, year: Int) -> (form: PersonFormParts, pool: Pool) {
        let total = pools.reduce(0) { $0 + $1.weight }
        var pick = Int.random(in: 0..<total, using: &rng)
        var pool = pools[0]
        for p in pools { if pick < p.weight { pool = p; break }; pick -= p.weight }
        let given = pool.given.randomElement(using: &rng)!
        let family = pool.family.randomElement(using: &rng)!
        let age = Int.random(in: 1...70, using: &rng)
        let precision = Int.random(in: 0..<10, using: &rng)
        let y = year - age
        let dob: String
        switch precision {
        case 0: dob = "\(y)"
        case 1: dob = "~\(y)"
        case 2: dob = String(format: "%04d-%02d", y, Int.random(in: 1...12, using: &rng))
        default:
            dob = String(
                format: "%04d-%02d-%02d", y, Int.random(in: 1...12, using: &rng), Int.random(in: 1...28, using: &rng))
        }
        let phone =
            Int.random(in: 0..<3, using: &rng) == 0
            ? nil : "+316" + String(Int.random(in: 10_000_000...99_999_999, using: &rng))
        return (
            PersonFormParts(
                familyName: family.0, givenNames: given.0, familyNameOriginal: family.1, givenNamesOriginal: given.1,
                sex: ["F", "M"].randomElement(using: &rng)!, dateOfBirth: dob,
                nationality: pool.nationalities.randomElement(using: &rng)!, languages: pool.languages, phone: phone),
            pool
        )
    }

    struct PersonFormParts: Sendable {
        let familyName: String
        let givenNames: String
        let familyNameOriginal: String?
        let givenNamesOriginal: String?
        let sex: String
        let dateOfBirth: String
        let nationality: String
        let languages: [String]
        let phone: String?
    }
}
