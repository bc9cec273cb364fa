import HeadwayCore

/// A deterministic synthetic Common Transfer File (CTF, XML): a primary school's Year 6 leavers
/// with their KS2 results, for tests of the CTF importer and its benchmark. Every pupil is
/// invented (names from ``Names`` combined at random, valid but made-up UPNs).
///
/// The file follows the element structure in `shared/reference/dfe-rules.md` §6. Its KS2 rows use
/// codes Headway's shipped table `data/ctf/ks2-result-codes.toml` recognises:
/// reading `Subject ENG, Method TT, Component RD, ResultQualifier SS`; maths `Subject MAT,
/// Method TT, ResultQualifier SS` (no component). Each pupil also has a writing teacher
/// assessment row (`ENG/TA/WRI`, result WTS/EXS/GDS) and a grammar, punctuation and spelling
/// test row (`ENG/TT/GPS/SS`), which that table recognises and does not store, and a `Contacts`
/// element the importer does not use.
///
/// What is drawn (figures are the generator's parameters): reading and maths scaled scores from
/// a shared ability (national-like mean 105, SD 7, clipped to 80–120); about 2% of pupils absent
/// (`A`) and 2% working below the test (`B`) in each subject; about 30% with an FSM history (half
/// of them eligible at the file's date); about 13% with SEN support and 3% with an EHC plan.
/// The same options always give the same text.
public enum DemoCTF {
    /// What to generate.
    public struct Options: Sendable, Hashable {
        /// How many pupils.
        public var pupils: Int
        /// Seed of every random draw.
        public var seed: UInt64
        /// `CTFversion`; below 22 the pupils' sex is written as `Gender`, from 22 as `Sex`.
        public var version: String
        /// The summer of the KS2 tests: the file is dated 10 July of this year, from the academic
        /// year that ends then.
        public var ks2Year: Int
        /// `DestSchool/URN`: the secondary school the file is for.
        public var destinationURN: String

        /// Options: 2,000 pupils, seed 2026, CTF 25.0, KS2 2025, destination URN 100001.
        public init(pupils: Int = 2_000, seed: UInt64 = 2026, version: String = "25.0", ks2Year: Int = 2025, destinationURN: String = "100001") {
            self.pupils = pupils
            self.seed = seed
            self.version = version
            self.ks2Year = ks2Year
            self.destinationURN = destinationURN
        }
    }

    /// A generated file and what was written into it, for tests to compare a reader against.
    public struct File: Sendable {
        /// The XML text (UTF-8 when written out).
        public var text: String
        /// The pupils' UPNs, in file order.
        public var upns: [String]
        /// Pupils with a KS2 reading scaled score.
        public var readingScores: Int
        /// Pupils with a KS2 maths scaled score.
        public var mathsScores: Int
        /// KS2 reading result codes written in place of a score, per code (`A`, `B`).
        public var readingCodes: [String: Int]
        /// KS2 maths result codes written in place of a score, per code (`A`, `B`).
        public var mathsCodes: [String: Int]
        /// Pupils written with an FSM history.
        public var fsmHistories: Int
        /// Pupils whose FSM instance is open at the file's date (FSM now).
        public var fsmNow: Int
        /// Pupils whose (only) SEN entry is K, SEN support.
        public var senSupport: Int
        /// Pupils whose (only) SEN entry is E, EHC plan.
        public var ehcPlans: Int
    }

    /// Generates the file.
    public static func generate(_ options: Options = Options()) -> File {
        var rng = SeededRandom(seed: options.seed, stream: "ctf")
        var upns = UPNAllocator(seed: options.seed, perYear: max(1, options.pupils))
        let y = options.ks2Year
        let useSex = (Int(options.version.split(separator: ".").first ?? "") ?? 25) >= 22
        var file = File(text: "", upns: [], readingScores: 0, mathsScores: 0, readingCodes: [:], mathsCodes: [:],
                        fsmHistories: 0, fsmNow: 0, senSupport: 0, ehcPlans: 0)
        var out = ""
        out.reserveCapacity(options.pupils * 1_900 + 1_000)
        out += """
            <?xml version="1.0" encoding="UTF-8"?>
            <CTfile>
              <Header>
                <DocumentName>Common Transfer File</DocumentName>
                <CTFversion>\(options.version)</CTFversion>
                <DateTime>\(y)-07-10T09:30:00</DateTime>
                <DocumentQualifier>partial</DocumentQualifier>
                <SupplierID>Headway synthetic</SupplierID>
                <SourceSchool>
                  <LEA>938</LEA>
                  <Estab>2001</Estab>
                  <URN>125999</URN>
                  <SchoolName>Synthetic Primary School</SchoolName>
                  <AcademicYear>\(y - 1)/\(String(y % 100))</AcademicYear>
                </SourceSchool>
                <DestSchool>
                  <LEA>938</LEA>
                  <Estab>4001</Estab>
                  <URN>\(escaped(options.destinationURN))</URN>
                </DestSchool>
              </Header>
              <CTFpupilData>

            """
        // Born September (y − 11) to August (y − 10): Year 6 in the academic year ending in July y.
        let firstDay = DayCount.days(year: y - 11, month: 9, day: 1)
        let lastDay = DayCount.days(year: y - 10, month: 9, day: 1)
        let fileDay = DayCount.days(year: y, month: 7, day: 10)
        for _ in 0..<max(0, options.pupils) {
            let upn = upns.next(y6Year: y - 6, rng: &rng).rawValue
            file.upns.append(upn)
            let female = rng.chance(0.5)
            let forename = rng.pick(female ? Names.girls : Names.boys)
            let surname = rng.pick(rng.chance(0.3) ? Names.internationalSurnames : Names.britishSurnames)
            let dob = DayCount.date(firstDay + rng.below(lastDay - firstDay))
            out += """
                    <Pupil>
                      <UPN>\(upn)</UPN>
                      <Surname>\(escaped(surname))</Surname>
                      <Forename>\(escaped(forename))</Forename>
                      <DOB>\(dob)</DOB>
                      <\(useSex ? "Sex" : "Gender")>\(female ? "F" : "M")</\(useSex ? "Sex" : "Gender")>
                      <BasicDetails>
                        <NCyearActual>6</NCyearActual>

                """
            if rng.chance(0.3) {
                file.fsmHistories += 1
                let start = fileDay - 200 - rng.below(6 * 365)
                out += "          <FSMhistory>\n            <FSMinstance>\n              <FSMstartDate>\(DayCount.date(start))</FSMstartDate>\n"
                if rng.chance(0.5) {
                    file.fsmNow += 1
                } else {
                    out += "              <FSMendDate>\(DayCount.date(start + 30 + rng.below(150)))</FSMendDate>\n"
                }
                out += "              <UKcountry>ENG</UKcountry>\n            </FSMinstance>\n          </FSMhistory>\n"
            }
            out += "        </BasicDetails>\n"
            let senDraw = rng.nextUnit()
            if senDraw < 0.16 {
                let code = senDraw < 0.03 ? "E" : "K"
                if code == "E" { file.ehcPlans += 1 } else { file.senSupport += 1 }
                out += "        <SENhistory>\n          <SEN>\n            <StartDate>\(DayCount.date(fileDay - 300 - rng.below(1_500)))</StartDate>\n"
                    + "            <SENprovision>\(code)</SENprovision>\n          </SEN>\n        </SENhistory>\n"
            }
            out += "        <Contacts>\n          <Contact><Order>1</Order><Surname>\(escaped(surname))</Surname></Contact>\n        </Contacts>\n"

            let ability = rng.normal()
            func result(_ codes: inout [String: Int], scores: inout Int) -> String {
                let draw = rng.nextUnit()
                if draw < 0.02 { codes["A", default: 0] += 1; return "A" }
                if draw < 0.04 { codes["B", default: 0] += 1; return "B" }
                scores += 1
                let value = 105 + 7 * (0.84 * ability + 0.54 * rng.normal())
                return String(min(120, max(80, Int(value.rounded()))))
            }
            let reading = result(&file.readingCodes, scores: &file.readingScores)
            let maths = result(&file.mathsCodes, scores: &file.mathsScores)
            let writing = ["WTS", "EXS", "EXS", "GDS"][rng.below(4)]
            let gps = min(120, max(80, Int((105 + 7 * ability).rounded())))
            func row(_ subject: String, _ method: String, _ component: String?, _ qualifier: String, _ value: String) -> String {
                "          <StageAssessment><Locale>ENG</Locale><Year>\(y)</Year><Subject>\(subject)</Subject><Method>\(method)</Method>"
                    + (component.map { "<Component>\($0)</Component>" } ?? "")
                    + "<ResultStatus>R</ResultStatus><ResultQualifier>\(qualifier)</ResultQualifier><Result>\(value)</Result></StageAssessment>\n"
            }
            out += "        <StageAssessments>\n          <KeyStage>\n          <Stage>KS2</Stage>\n"
                + row("ENG", "TT", "RD", "SS", reading) + row("MAT", "TT", nil, "SS", maths)
                + row("ENG", "TA", "WRI", "TA", writing) + row("ENG", "TT", "GPS", "SS", String(gps))
                + "          </KeyStage>\n        </StageAssessments>\n    </Pupil>\n"
        }
        out += "  </CTFpupilData>\n</CTfile>\n"
        file.text = out
        return file
    }

    /// Text safe inside an XML element or attribute.
    static func escaped(_ text: String) -> String { text.xmlEscaped }
}
