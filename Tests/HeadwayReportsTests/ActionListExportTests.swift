import HeadwayAnalytics
import HeadwayCore
import HeadwayReports
import HeadwayTestSupport
import Testing

/// Action lists as mail-merge CSV (issue 6, item 2): the columns, a row's values, names such as
/// O'Neil and Zoë, and a hostile value made safe for a spreadsheet.
@Suite struct ActionListExportTests {
    /// The reward list of Year 10 at DC2 of the small fixture school, built by hand: Aoife O'Neil
    /// and Zoë Marsh, whose tutor group is a formula; Mr Patel (head of year) and Ms Smith named.
    static func list() -> ActionList {
        let year = Fixtures.smallSchool()
        var zoe = year.pupils[1]
        zoe.tutorGroup = "=HYPERLINK(\"http://x.example\",\"click\")"
        let staff = Dictionary(uniqueKeysWithValues: year.staff.map { ($0.id, $0) })
        return ActionList(
            rule: .atlReward, collection: year.collections[1], yearGroup: 10, responsible: [staff["RPA"]!, staff["JSM"]!],
            entries: [
                ActionList.Entry(pupil: year.pupils[0], subjects: ["MA", "SC"], reason: "mean ATL 1.2 over 5 subjects, and 1.25 over 4 at DC1"),
                ActionList.Entry(pupil: zoe, subjects: ["MA"], reason: "-1 @ this"),
            ],
            summary: ActionRules.standard.summary(of: .atlReward))
    }

    @Test func columnsAndRowsForMailMerge() {
        let text = ActionListExport.csv(Self.list(), school: Fixtures.smallSchool().school)
        let lines = text.components(separatedBy: "\r\n")
        #expect(lines[0] == "\u{FEFF}school_name,collection,collection_name,list,year_group,upn,pupil_id,forename,surname,tutor_group,"
            + "reason,subjects,subject_count,shortfall_grades,responsible,responsible_title,responsible_forename,responsible_surname,responsible_email")
        // Commas and quotes make a cell quoted; the first responsible person signs the letter.
        #expect(lines[1] == "Riverside Academy,DC2,Spring data collection,atl_reward,10,H801200001001,P001,Aoife,O'Neil,10A,"
            + "\"mean ATL 1.2 over 5 subjects, and 1.25 over 4 at DC1\",\"MA, SC\",2,,Mr Patel and Ms Smith,Mr,Ravi,Patel,r.patel@school.example")
        // Zoë keeps her diaeresis; a cell starting with = or - (not a number) gets a leading '.
        #expect(lines[2] == "Riverside Academy,DC2,Spring data collection,atl_reward,10,B801200005001,P002,Zoë,Marsh,"
            + "\"'=HYPERLINK(\"\"http://x.example\"\",\"\"click\"\")\",'-1 @ this,MA,1,,Mr Patel and Ms Smith,Mr,Ravi,Patel,r.patel@school.example")
        #expect(lines.count == 4 && lines[3] == "")  // CRLF after the last row
    }

    /// Issue 12, item 10: the number of subjects and the shortfall in grades (one decimal), in
    /// the list's order, so a head of year starts at the top.
    @Test func belowExpectedProgressRowsCarrySubjectsAndShortfall() {
        var list = Self.list()
        let year = Fixtures.smallSchool()
        list.rule = .belowExpected
        list.entries = [
            ActionList.Entry(pupil: year.pupils[0], subjects: ["EN", "MA", "SC"], reason: "below expected progress in 3 subjects", shortfall: 3.6667),
            ActionList.Entry(pupil: year.pupils[1], subjects: ["MA", "SC"], reason: "below expected progress in 2 subjects", shortfall: 1.25),
        ]
        let table = ActionListExport.table(list, school: year.school)
        let count = ActionListExport.header.firstIndex(of: "subject_count")!, short = ActionListExport.header.firstIndex(of: "shortfall_grades")!
        #expect(table.rows.map { [$0[6], $0[count], $0[short]] } == [["P001", "3", "3.7"], ["P002", "2", "1.3"]])
        #expect(ActionListExport.fileName(list) == "DC2-Y10-below-expected-progress.csv")
    }

    @Test func anEmptyListIsItsHeaderAndNobodyResponsibleLeavesBlanks() {
        var list = Self.list()
        list.entries = []
        #expect(ActionListExport.table(list, school: School(id: "S", name: "S")).rows.isEmpty)
        list.entries = [Self.list().entries[0]]
        list.responsible = []
        let row = ActionListExport.table(list, school: School(id: "S", name: "S")).rows[0]
        #expect(Array(row.suffix(5)) == ["", "", "", "", ""])
        #expect(row.count == ActionListExport.header.count)
    }

    @Test func fileNamesAreCollectionYearAndRule() {
        var list = Self.list()
        #expect(ActionListExport.fileName(list) == "DC2-Y10-atl-reward.csv")
        #expect(ActionListExport.table(list, school: School(id: "S", name: "S")).name == "DC2-Y10-atl-reward")
        list.rule = .wellBelowCore
        list.collection.id = "../Spring 2027"
        list.yearGroup = 12
        #expect(ActionListExport.fileName(list) == "---Spring-2027-Y12-well-below-core.csv")
    }
}
