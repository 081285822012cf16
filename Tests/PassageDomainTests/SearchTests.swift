import Testing
@testable import PassageDomain

@Suite struct NameNormaliserTests {
    @Test func folds_case_and_diacritics() {
        #expect(NameNormaliser.tokens("Şükrü ÖZTÜRK") == ["sukru", "ozturk"])
        #expect(NameNormaliser.tokens("José  María") == ["jose", "maria"])
        #expect(NameNormaliser.tokens("Łukasz Størmer") == ["lukasz", "stormer"])
    }

    @Test func splits_on_hyphens_and_apostrophes() {
        #expect(NameNormaliser.tokens("Al-Hassan O'Neil") == ["al", "hassan", "o", "neil"])
    }

    @Test func unifies_arabic_spelling_variants() {
        // Alef with hamza, alef madda and bare alef; ta marbuta and ha; vowel marks dropped.
        #expect(NameNormaliser.normalise("أحمد") == NameNormaliser.normalise("احمد"))
        #expect(NameNormaliser.normalise("فاطمة") == NameNormaliser.normalise("فاطمه"))
        #expect(NameNormaliser.normalise("مُحَمَّد") == NameNormaliser.normalise("محمد"))
        // Persian yeh and kaf against Arabic ones.
        #expect(NameNormaliser.normalise("کریمی") == NameNormaliser.normalise("كريمي"))
    }

    @Test func keeps_other_scripts_readable() {
        #expect(NameNormaliser.normalise("Фёдоров") == "федоров")
        #expect(NameNormaliser.normalise("ተስፋይ") == "ተስፋይ")
        #expect(NameNormaliser.normalise("გიორგი") == "გიორგი")
    }
}

@Suite struct SearchTermsTests {
    func matches(_ query: String, _ name: String) -> Bool {
        let stored = SearchTerms.stored(names: [name])
        let storedTexts = Set(stored.map(\.text))
        let words = Set(stored.filter { $0.kind == .word }.map(\.text))
        return SearchTerms.query(query).allSatisfy { q in
            !Set(q.fuzzy).isDisjoint(with: storedTexts)
                || (q.prefixRange.map { r in words.contains { $0 >= r.lower && $0 < r.upper } } ?? false)
        }
    }

    @Test(arguments: [
        ("mohamed", "Mohammed"), ("ahmed", "Ahmad"), ("tesfai", "Tesfay"), ("yonas", "Yonas"),
        ("hasan", "Hassan"), ("ibrahem", "Ibrahim"), ("gebremedin", "Gebremedhin"),
    ])
    func finds_common_misspellings(_ query: String, _ name: String) {
        #expect(matches(query, name))
    }

    @Test func finds_by_prefix() {
        #expect(matches("gebre", "Gebremedhin"))
        #expect(matches("abdul", "Abdullah"))
    }

    @Test func does_not_match_unrelated_names() {
        #expect(!matches("ivanov", "Mohammed"))
        #expect(!matches("karim", "Tesfay"))
    }

    @Test func every_query_word_must_match() {
        #expect(matches("yonas tekle", "Tekle Yonas"))
        #expect(!matches("yonas haile", "Tekle Yonas"))
    }

    @Test func short_words_get_no_misspelling_variants() {
        #expect(SearchTerms.deletions(of: "ali").isEmpty)
        #expect(SearchTerms.deletions(of: "omar").count == 4)
    }

    @Test func prefix_range_covers_exactly_words_with_the_prefix() {
        let q = SearchTerms.query("ab")[0]
        let r = try! #require(q.prefixRange)
        #expect("abdullah" >= r.lower && "abdullah" < r.upper)
        #expect(!("ac" >= r.lower && "ac" < r.upper))
    }

    @Test func scores_exact_above_prefix_above_misspelling() {
        let q = SearchTerms.query("hassan")[0]
        #expect(SearchTerms.score(queryWord: q, storedWords: ["hassan"]) == 3)
        #expect(SearchTerms.score(queryWord: q, storedWords: ["hassanein"]) == 2)
        // Another spelling of the same name scores as a prefix does.
        #expect(SearchTerms.score(queryWord: q, storedWords: ["hasan"]) == 2)
        #expect(SearchTerms.score(queryWord: q, storedWords: ["hassam"]) == 1)
        #expect(SearchTerms.score(queryWord: q, storedWords: ["omar"]) == 0)
    }
}

/// One key for the spellings of a name across transliteration traditions and scripts, and apart from other names.
@Suite struct TransliterationTests {
    static let sameName: [[String]] = [
        ["Mohammed", "Muhammad", "Mohamed", "Mohammad", "Mohamad", "Muhammed", "Mehmet", "محمد"],
        ["Yusuf", "Youssef", "Yousef", "Jusuf", "Yousif", "يوسف"],
        ["Aleksandr", "Alexander", "Oleksandr", "Aleksander", "Александр", "Олександр"],
        ["Ivanov", "Iwanow", "Ivanoff", "Иванов"],
        ["Müller", "Mueller", "Muller"],
        ["Ahmad", "Ahmed", "Achmed", "أحمد"],
        ["Ibrahim", "Ebrahim", "Ibraheem", "إبراهيم"],
        ["Khalid", "Khaled", "Chalid", "خالد"],
        ["Fatima", "Fatimah", "Fatma", "فاطمة"],
        ["Omar", "Umar", "Omer", "عمر"],
        ["Giorgi", "Giorgy", "გიორგი"],
        ["Yohannes", "Johannes", "ዮሐንስ"],
        ["Tesfaye", "ተስፋዬ"],
        ["Shevchenko", "Schewtschenko", "Шевченко"],
        ["Nur", "Noor", "Nour", "نور"],
        ["Layla", "Leila", "Leyla"],
        ["Wei", "Wey"],
    ]

    @Test(arguments: sameName)
    func spellings_of_one_name_share_a_key(_ spellings: [String]) throws {
        let keys = spellings.map { Transliteration.key(NameNormaliser.normalise($0)) }
        let first = try #require(keys[0])
        for (spelling, key) in zip(spellings, keys) { #expect(key == first, "\(spelling) → \(key ?? "none")") }
    }

    @Test func different_names_keep_different_keys() {
        // (Omar and Amir, Hassan and Hussein, Ivanov and Ivanova do share a key: the vowels are what tells them apart.)
        let pairs = [("Ahmad", "Hamid"), ("Yusuf", "Asif"), ("Ivanov", "Ivanenko"), ("Karim", "Kamal")]
        for (a, b) in pairs {
            #expect(
                Transliteration.key(NameNormaliser.normalise(a)) != Transliteration.key(NameNormaliser.normalise(b)))
        }
        // Short words have no key: deleting their vowels leaves too little to tell names apart.
        #expect(Transliteration.key("ali") == nil)
    }

    @Test func particles_beside_a_name_are_not_required_and_a_joined_one_is_looked_through() {
        let q = SearchTerms.query("El-Hassan Karim")
        #expect(q.map(\.optional) == [true, false, false])
        #expect(SearchTerms.query("Al").map(\.optional) == [false], "a particle alone is what is sought")
        let joined = SearchTerms.query("Alhassan")
        #expect(SearchTerms.explain(joined[0], storedWords: ["al", "hassan"])?.kind == .misspelling)
    }

    @Test func a_long_word_may_carry_two_typing_errors() {
        #expect(SearchTerms.isTwoTypingErrorsAway("trdelhai", "tekdelhai"))
        #expect(SearchTerms.isTwoTypingErrorsAway("zikkhaski", "zikhaski"))
        #expect(!SearchTerms.isTwoTypingErrorsAway("abal", "abla"), "short words allow one error only")
        #expect(!SearchTerms.isTwoTypingErrorsAway("tekdelhai", "mekdelhai"), "the first letter is kept")
        #expect(!SearchTerms.isTwoTypingErrorsAway("tekdelhai", "tekwolzika"))
        #expect(SearchTerms.editDistance(Array("abcd".unicodeScalars), Array("abdc".unicodeScalars)) == 1)
        #expect(SearchTerms.soundVariants(of: "tkdlh") == ["tkdlh", "tdlh", "tklh", "tkdh", "tkdl"])
        #expect(SearchTerms.soundVariants(of: "trh") == ["trh"], "a short key has no variants")
        // Another spelling with a typing error: Wolzidesha written Volzidska (w/v, sh/s, a k added).
        let spelt = SearchTerms.query("Volzidska")
        #expect(SearchTerms.explain(spelt[0], storedWords: ["wolzidesha"])?.kind == .misspelling)
        let q = SearchTerms.query("Trdelhai")
        #expect(SearchTerms.explain(q[0], storedWords: ["tekdelhai"])?.kind == .misspelling)
    }

    @Test func a_match_says_why() {
        let q = SearchTerms.query("Mohamad Ibrahim")
        #expect(SearchTerms.explain(q[0], storedWords: ["muhammad", "ibrahim"])?.kind == .transliteration)
        #expect(SearchTerms.explain(q[0], storedWords: ["muhammad"])?.stored == "muhammad")
        #expect(SearchTerms.explain(q[1], storedWords: ["muhammad", "ibrahim"])?.kind == .exact)
        #expect(SearchTerms.explain(q[1], storedWords: ["ibrahimi"])?.kind == .prefix)
        #expect(SearchTerms.explain(q[1], storedWords: ["ibrahin"])?.kind == .misspelling)
        #expect(SearchTerms.score(queryWord: q[0], storedWords: ["mehmet"]) == 2)
        #expect(SearchTerms.explain(q[0], storedWords: ["hamid"]) == nil)
    }
}

@Suite struct ASCIINameTests {
    @Test func the_ascii_path_gives_the_words_the_unicode_path_gives() {
        for text in ["Al-Hassan", "  Mohammed  Abdel-Aziz ", "O'Brien", "van der Berg", "ABC123 x", "", "-", "Ilyas_2"]
        {
            #expect(NameNormaliser.asciiTokens(text) != nil)
            // The Unicode path, forced by a character it folds away (a combining mark on its own word).
            let unicode = NameNormaliser.tokens(text + " \u{0301}")
            #expect(NameNormaliser.asciiTokens(text) == unicode, "\(text)")
        }
        #expect(NameNormaliser.asciiTokens("Müller") == nil)
    }
}
