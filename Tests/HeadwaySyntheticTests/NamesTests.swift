@testable import HeadwaySynthetic
import Testing

@Suite struct NamesTests {
    static let all = Names.girls + Names.boys + Names.britishSurnames + Names.internationalSurnames + Names.women + Names.men

    /// Every accented letter in the lists has a base letter, so e-mail addresses and staff codes
    /// never silently lose a letter.
    @Test func everyNameFoldsToASCIILetters() {
        for name in Self.all {
            let folded = asciiLetters(name)
            #expect(!folded.isEmpty && folded.allSatisfy { $0.isASCII && $0.isLowercase }, "\(name) → \(folded)")
            let letters = name.unicodeScalars.filter { $0.properties.isAlphabetic }
            #expect(folded.count >= letters.count, "\(name) lost a letter: \(folded)")
        }
        #expect(asciiLetters("O'Neil") == "oneil")
        #expect(asciiLetters("Zoë") == "zoe")
        #expect(asciiLetters("Çelik") == "celik")
        #expect(asciiLetters("Yılmaz") == "yilmaz")
        #expect(asciiLetters("Lloyd-Williams") == "lloydwilliams")
        #expect(asciiLetters("Mei Ling") == "meiling")
    }

    @Test func listsHaveNoDuplicatesAndIncludeNamesThatNeedEscaping() {
        for list in [Names.girls, Names.boys, Names.britishSurnames, Names.internationalSurnames, Names.women, Names.men] {
            #expect(Set(list).count == list.count)
        }
        #expect(Self.all.contains { $0.contains("'") })
        #expect(Self.all.contains { $0.contains("-") })
        #expect(Self.all.contains { $0.contains(" ") })
        #expect(Self.all.contains { $0.unicodeScalars.contains { !$0.isASCII } })
    }

    @Test func staffCodesAreUniqueThreeLetters() {
        var taken: Set<String> = []
        for _ in 0..<5 {
            let code = Generator.staffCode(forename: "Jo", surname: "Smith", taken: taken)
            #expect(code.count == 3 && !taken.contains(code))
            taken.insert(code)
        }
        #expect(taken.contains("JSM") && taken.contains("JSI"))
        #expect(Generator.staffCode(forename: "Zoë", surname: "O'Neil", taken: []) == "ZON")
    }
}
