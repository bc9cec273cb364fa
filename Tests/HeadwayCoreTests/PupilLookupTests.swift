import HeadwayCore
import Testing

/// Finding a pupil by what staff type (issue 12, item 6): UPN, id (admission number, leading
/// zeros lost or not) or name; several matches are candidates, never a guess.
@Suite struct PupilLookupTests {
    static let pupils = [
        Pupil(id: "000002", upn: UPN("H801200001001"), forename: "Aoife", surname: "O'Neil", yearGroup: 10, tutorGroup: "10A"),
        Pupil(id: "000017", upn: UPN("B801200005001"), forename: "Zoë", surname: "Marsh", yearGroup: 8, tutorGroup: "8C"),
        Pupil(id: "000031", forename: "Tom", surname: "Marsh", yearGroup: 11, tutorGroup: "11B"),
        Pupil(id: "A-77", forename: "Sam", surname: "de la Cruz", yearGroup: 7),
    ]

    func found(_ query: String) -> Pupil.ID? {
        if case .found(let pupil) = PupilLookup.find(query, in: Self.pupils) { return pupil.id }
        return nil
    }

    @Test func idUPNAndIdWithoutLeadingZerosFindOnePupil() {
        #expect(found("000002") == "000002")
        #expect(found("  000017 ") == "000017")
        #expect(found("h801200001001") == "000002")  // a UPN in lower case
        #expect(found("2") == "000002")              // Excel dropped the zeros
        #expect(found("31") == "000031")
        #expect(found("A-77") == "A-77")
        #expect(PupilLookup.find("5", in: Self.pupils) == .notFound)
        #expect(PupilLookup.find("", in: Self.pupils) == .notFound)
    }

    @Test func namesInEveryUsualFormFindThePupil() {
        #expect(found("O'Neil, Aoife") == "000002")
        #expect(found("o’neil,aoife") == "000002")   // curly apostrophe, no space, any case
        #expect(found("Aoife O'Neil") == "000002")
        #expect(found("O'Neil Aoife") == "000002")
        #expect(found("O'Neil") == "000002")         // the only O'Neil
        #expect(found("zoe marsh") == "000017")      // accents need not be typed
        #expect(found("Marsh, Zoë") == "000017")
        #expect(found("Sam  de la Cruz") == "A-77")     // repeated spaces
        #expect(found("De La Cruz, Sam") == "A-77")
    }

    @Test func aSharedSurnameListsTheCandidatesNeverGuesses() {
        guard case .ambiguous(let candidates) = PupilLookup.find("Marsh", in: Self.pupils) else {
            Issue.record("two pupils are called Marsh")
            return
        }
        #expect(candidates.map(\.id) == ["000031", "000017"])  // Marsh, Tom before Marsh, Zoë
        #expect(PupilLookup.candidateLine(candidates[1]) == "Marsh, Zoë — id 000017, UPN B801200005001, Year 8, tutor group 8C")
        #expect(PupilLookup.candidateLine(Self.pupils[3]) == "de la Cruz, Sam — id A-77, Year 7")
        // No prefixes or partial names: "Mar" and "Aoife Marsh" name nobody.
        #expect(PupilLookup.find("Mar", in: Self.pupils) == .notFound)
        #expect(PupilLookup.find("Aoife Marsh", in: Self.pupils) == .notFound)
    }
}
