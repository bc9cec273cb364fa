import Foundation
import HeadwayCore
#if canImport(FoundationXML)
import FoundationXML
#endif

/// The SAX side of ``CTFFile``: one pass of `XMLParser` over the bytes, holding the header and the
/// pupil being read, never a document tree. Used once per file, on one thread.
final class CTFParser: NSObject, XMLParserDelegate {
    /// A leaf element's text with where it was.
    struct Value {
        var text: String
        var line: Int
        var path: String
    }

    struct FSMInstance {
        var line: Int
        var start: Value?
        var end: Value?
    }

    struct SENEntry {
        var line: Int
        var date: Value?
        var provision: Value?
    }

    struct Row {
        var line: Int
        var path: String
        var subject: Value?
        var method: Value?
        var component: Value?
        var resultQualifier: Value?
        var result: Value?

        var codes: KS2Codes {
            KS2Codes(subject: subject?.text, method: method?.text, component: component?.text, resultQualifier: resultQualifier?.text)
        }
    }

    struct KeyStage {
        var stage: String?
        var rows: [Row] = []
    }

    /// One KS2 result the code table matched.
    struct KS2Result {
        var measure: KS2CodeTable.Measure
        var result: Value?
        var row: Row
    }

    struct PupilDraft {
        var line: Int
        var path: String
        var upn: Value?
        var surname: Value?
        var forename: Value?
        var dob: Value?
        var sex: Value?
        var fsmHistory = false
        var fsm: [FSMInstance] = []
        var sen: [SENEntry] = []
        var ks2: [KS2Result] = []
        /// KS2 rows no entry of the code table matched.
        var unmatched: [KS2Codes] = []
    }

    /// Elements read, by parent; anything else is skipped with its subtree and counted.
    static let reads: [String: Set<String>] = [
        "": ["CTfile"],
        "CTfile": ["Header", "CTFpupilData"],
        "Header": ["CTFversion", "DateTime", "DocumentQualifier", "SourceSchool", "DestSchool"],
        "SourceSchool": ["LEA", "Estab", "URN", "SchoolName", "AcademicYear"],
        "DestSchool": ["LEA", "Estab", "URN", "SchoolName", "AcademicYear"],
        "CTFpupilData": ["Pupil"],
        "Pupil": ["UPN", "Surname", "Forename", "DOB", "Sex", "Gender", "BasicDetails", "FSMhistory", "SENhistory", "StageAssessments"],
        "BasicDetails": ["Sex", "Gender", "FSMhistory", "SENhistory"],
        "FSMhistory": ["FSMinstance"],
        "FSMinstance": ["FSMstartDate", "FSMendDate", "StartDate", "EndDate"],
        "SENhistory": ["SEN"],
        "SEN": ["StartDate", "SENstartDate", "SENprovision", "Provision"],
        "StageAssessments": ["KeyStage"],
        "KeyStage": ["Stage", "StageAssessment"],
        "StageAssessment": ["Locale", "Year", "Subject", "Method", "Component", "ResultStatus", "ResultQualifier", "Result"],
    ]

    let file: String
    let codes: KS2CodeTable
    let yearGroup: Int
    private weak var parser: XMLParser?

    private var stack: [String] = []
    /// The path of each open element (`CTfile/CTFpupilData/Pupil`), built once per element.
    private var paths: [String] = []
    private var lines: [Int] = []
    private var skipDepth: Int?
    private var text = ""
    private var sawRoot = false

    private var header = CTFHeader()
    private var headerSeen = false
    private var headerLine: Int?
    private var versionLine: Int?
    private var headerChecked = false
    private var fileDate: CalendarDate?
    private var dateWarningGiven = false

    /// A problem that refuses the whole file.
    private var fatal: ImportIssue?
    private var issues: [ImportIssue] = []
    private var counts = CTFFile.Counts()

    private var pupil: PupilDraft?
    private var keyStage: KeyStage?
    private var row: Row?
    private var fsm: FSMInstance?
    private var sen: SENEntry?

    private var pupils: [(pupil: Pupil, line: Int, accepted: Bool)] = []
    private var upnIndex: [String: (index: Int, line: Int)] = [:]
    private var unrecognisedFirst: [KS2Codes: (line: Int, path: String)] = [:]
    /// Per unmatched combination of codes: pupils who have it and are left with no KS2 reading or
    /// maths result at all, and which of the two they lack.
    private var leftEmpty: [KS2Codes: (pupils: Int, measures: Set<KS2CodeTable.Measure>)] = [:]

    init(file: String, codes: KS2CodeTable, yearGroup: Int) {
        self.file = file
        self.codes = codes
        self.yearGroup = yearGroup
    }

    /// Parses a stream. Fed in chunks: libxml2 refuses a whole file of 10 MB or more handed
    /// over at once ("XML parser error 1"), and a stream never holds the file in memory.
    func parse(_ stream: InputStream) -> CTFFile.Result {
        let parser = XMLParser(stream: stream)
        parser.shouldResolveExternalEntities = false
        parser.shouldProcessNamespaces = false
        parser.delegate = self
        self.parser = parser
        _ = parser.parse()
        if fatal == nil && !sawRoot {
            fatal = ImportIssue(.notCTF, file: file, reason: "the file holds no XML element: expected a Common Transfer File (root element CTfile)")
        }
        if fatal == nil && !headerChecked { checkHeader() }
        if let fatal {
            let header = fatal.code == .malformedXML && !headerChecked ? nil : header
            return CTFFile.Result(file: file, header: header, pupils: [], lines: [:], issues: [fatal], counts: CTFFile.Counts(), refused: true)
        }
        for (codes, count) in counts.unrecognisedKS2.sorted(by: { $0.key < $1.key }) {  // a stable order within a line
            guard let first = unrecognisedFirst[codes] else { continue }
            if let empty = leftEmpty[codes] {
                issues.append(Self.leftEmptyIssue(codes, pupils: empty.pupils, measures: empty.measures, results: count, file: file,
                                                  line: first.line, path: first.path))
                continue
            }
            issues.append(ImportIssue(.unrecognisedKS2Result, severity: .warning, file: file, line: first.line, column: first.path,
                                      value: codes.description,
                                      reason: "\(count) KS2 result(s) with these codes, the first here, match no entry of the KS2 code table and are not read; if they are reading or maths test scaled scores, add a [[match]] entry for them"))
        }
        if counts.pupilsRead == 0 {
            issues.append(ImportIssue(.unusableFile, severity: .warning, file: file, reason: "the file holds no Pupil records"))
        }
        let accepted = pupils.filter(\.accepted)
        counts.pupilsAccepted = accepted.count
        for (pupil, _, _) in accepted {
            if let prior = pupil.priorAttainment {
                if prior.readingScaledScore != nil { counts.ks2Scores[.readingScaledScore, default: 0] += 1 }
                if prior.mathsScaledScore != nil { counts.ks2Scores[.mathsScaledScore, default: 0] += 1 }
            }
            for measure in KS2CodeTable.Measure.priorAttainment {
                if let characteristic = measure.resultCodeCharacteristic, let code = pupil.characteristics[characteristic] {
                    counts.ks2ResultCodes[measure, default: [:]][code, default: 0] += 1
                }
            }
        }
        // Line order, keeping the order found within a line.
        issues = issues.enumerated().sorted { ($0.element.line ?? 0, $0.offset) < ($1.element.line ?? 0, $1.offset) }.map(\.element)
        return CTFFile.Result(file: file, header: header, pupils: accepted.map(\.pupil),
                              lines: Dictionary(accepted.map { ($0.pupil.id, $0.line) }, uniquingKeysWith: { a, _ in a }),
                              issues: issues, counts: counts, refused: false)
    }

    // MARK: - Parser callbacks

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String] = [:]) {
        guard fatal == nil else { return }
        let parent = stack.last ?? ""
        stack.append(name)
        lines.append(parser.lineNumber)
        guard skipDepth == nil else {
            paths.append("")
            return
        }
        paths.append(paths.last.map { $0 + "/" + name } ?? name)
        text = ""
        if stack.count == 1 {
            sawRoot = true
            guard name == "CTfile" else {
                refuse(ImportIssue(.notCTF, file: file, line: parser.lineNumber, column: name,
                                   reason: "not a Common Transfer File: the root element is <\(name)>, expected <CTfile>"))
                return
            }
        }
        guard Self.reads[parent]?.contains(name) == true else {
            if CTFFile.unusedElementNames.contains(name) {
                counts.unusedElements[name, default: 0] += 1
            } else {
                counts.unknownElements[name, default: 0] += 1
            }
            skipDepth = stack.count
            return
        }
        let line = parser.lineNumber
        switch name {
        case "Header":
            headerSeen = true
            headerLine = line
        case "CTFpupilData":
            if !headerChecked { checkHeader() }
        case "Pupil":
            pupil = PupilDraft(line: line, path: path)
        case "FSMhistory":
            pupil?.fsmHistory = true
        case "FSMinstance":
            fsm = FSMInstance(line: line)
        case "SEN":
            sen = SENEntry(line: line)
        case "KeyStage":
            keyStage = KeyStage()
        case "StageAssessment":
            row = Row(line: line, path: path)
        default:
            break
        }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        if fatal == nil && skipDepth == nil { text += string }
    }

    func parser(_ parser: XMLParser, foundCDATA block: Data) {
        if fatal == nil && skipDepth == nil { text += String(decoding: block, as: UTF8.self) }
    }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        defer {
            if !stack.isEmpty {
                stack.removeLast()
                paths.removeLast()
                lines.removeLast()
            }
        }
        guard fatal == nil else { return }
        if let depth = skipDepth {
            if stack.count == depth { skipDepth = nil }
            return
        }
        let parent = stack.count >= 2 ? stack[stack.count - 2] : ""
        // The element's text, for leaves; containers ignore it.
        var present: Value? {
            let trimmed = Self.trimmed(text)
            return trimmed.isEmpty ? nil : Value(text: trimmed, line: lines.last ?? parser.lineNumber, path: path)
        }
        defer { text = "" }
        // By parent first: a handful of parents, each with a few children (this runs for every
        // element of the file).
        switch parent {
        case "StageAssessment":
            switch name {
            case "Subject": row?.subject = present
            case "Method": row?.method = present
            case "Component": row?.component = present
            case "ResultQualifier": row?.resultQualifier = present
            case "Result": row?.result = present
            default: break
            }
        case "KeyStage":
            if name == "StageAssessment" {
                if let row { keyStage?.rows.append(row) }
                row = nil
            } else if name == "Stage" {
                keyStage?.stage = present?.text
            }
        case "StageAssessments":
            if let keyStage { finishKeyStage(keyStage) }
            keyStage = nil
        case "Pupil", "BasicDetails":
            switch name {
            case "UPN" where parent == "Pupil": pupil?.upn = present
            case "Surname" where parent == "Pupil": pupil?.surname = present
            case "Forename" where parent == "Pupil": pupil?.forename = present
            case "DOB" where parent == "Pupil": pupil?.dob = present
            case "Sex", "Gender": if pupil?.sex == nil { pupil?.sex = present }
            default: break
            }
        case "CTFpupilData":
            if let pupil { finishPupil(pupil) }
            pupil = nil
        case "FSMinstance":
            switch name {
            case "FSMstartDate", "StartDate": fsm?.start = present
            case "FSMendDate", "EndDate": fsm?.end = present
            default: break
            }
        case "FSMhistory":
            if let fsm { pupil?.fsm.append(fsm) }
            fsm = nil
        case "SEN":
            switch name {
            case "StartDate", "SENstartDate": sen?.date = present
            case "SENprovision", "Provision": sen?.provision = present
            default: break
            }
        case "SENhistory":
            if let sen { pupil?.sen.append(sen) }
            sen = nil
        case "Header":
            switch name {
            case "CTFversion":
                header.version = present?.text
                versionLine = lines.last
            case "DateTime": header.dateTime = present?.text
            case "DocumentQualifier": header.documentQualifier = present?.text
            default: break
            }
        case "SourceSchool", "DestSchool":
            var school = parent == "SourceSchool" ? header.source : header.destination
            let text = present?.text
            switch name {
            case "LEA": school.lea = text
            case "Estab": school.estab = text
            case "URN": school.urn = text
            case "SchoolName": school.schoolName = text
            case "AcademicYear": school.academicYear = text
            default: break
            }
            if parent == "SourceSchool" { header.source = school } else { header.destination = school }
        case "CTfile":
            if name == "Header" { checkHeader() }
        default:
            break
        }
    }

    func parser(_ parser: XMLParser, parseErrorOccurred error: any Error) {
        guard fatal == nil else { return }
        let code = (error as NSError).code
        fatal = ImportIssue(.malformedXML, file: file, line: parser.lineNumber, column: stack.isEmpty ? nil : path,
                            reason: "not well-formed XML at line \(parser.lineNumber), column \(parser.columnNumber): \(Self.explain(code)); nothing from this file is imported")
        parser.abortParsing()
    }

    /// libxml2's error numbers (which `XMLParser.ErrorCode` shares) for the common mistakes, in words.
    static func explain(_ code: Int) -> String {
        switch code {
        case 4: "the document is empty or does not start with an element"
        case 5: "the document ends too early or has something after its end (is the file cut short?)"
        case 9: "a character that is not allowed, or bytes not valid in the file's encoding (UTF-8 unless the XML declaration says otherwise)"
        case 26, 27: "a reference to an entity that is not declared (write & as &amp;)"
        case 39, 40, 41: "an attribute value without quotes"
        case 68: "a bare & or < in text (write &amp; and &lt;), or a tag without a name"
        case 73: "'>' expected: a tag is not closed"
        case 76: "an end tag does not match its start tag"
        case 77: "the file ends inside a tag"
        default: "XML parser error \(code)"
        }
    }

    private var path: String { paths.last ?? "" }

    /// `text` without leading and trailing XML white space (space, tab, CR, LF); much cheaper
    /// than Foundation's `trimmingCharacters(in:)`, which ran for every element.
    static func trimmed(_ text: String) -> String {
        let bytes = text.utf8
        func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D }
        var start = bytes.startIndex, end = bytes.endIndex
        while start < end, isSpace(bytes[start]) { start = bytes.index(after: start) }
        while end > start, isSpace(bytes[bytes.index(before: end)]) { end = bytes.index(before: end) }
        if start == bytes.startIndex && end == bytes.endIndex { return text }
        return String(text[start..<end])
    }

    private func refuse(_ issue: ImportIssue) {
        guard fatal == nil else { return }
        fatal = issue
        parser?.abortParsing()
    }

    // MARK: - Header

    private func checkHeader() {
        headerChecked = true
        let versionPath = "CTfile/Header/CTFversion"
        guard let version = header.version else {
            refuse(ImportIssue(.unsupportedCTFVersion, file: file, line: headerLine, column: versionPath,
                               reason: headerSeen ? "the header has no CTFversion: Headway reads CTF \(CTFFile.minimumVersion).0 onward and cannot tell this file's version"
                                   : "no Header before the pupil data: a CTF starts with a Header giving its CTFversion"))
            return
        }
        guard let major = header.majorVersion else {
            refuse(ImportIssue(.unsupportedCTFVersion, file: file, line: versionLine ?? headerLine, column: versionPath, value: version,
                               reason: "not a CTF version number: expected e.g. 25.0"))
            return
        }
        guard major >= CTFFile.minimumVersion else {
            refuse(ImportIssue(.unsupportedCTFVersion, file: file, line: versionLine ?? headerLine, column: versionPath, value: version,
                               reason: "CTF version \(version) is older than \(CTFFile.minimumVersion).0, the oldest Headway reads: ask the sending school for a CTF made by a current version of its MIS"))
            return
        }
        fileDate = header.date
    }

    // MARK: - Pupils

    private func finishKeyStage(_ stage: KeyStage) {
        guard stage.stage?.uppercased() == "KS2" else {
            counts.otherKeyStages[stage.stage ?? "(no Stage)", default: 0] += stage.rows.count
            return
        }
        for row in stage.rows {
            let codes = row.codes
            if let measure = self.codes.measure(for: codes) {
                pupil?.ks2.append(KS2Result(measure: measure, result: row.result, row: row))
            } else {
                pupil?.unmatched.append(codes)
                counts.unrecognisedKS2[codes, default: 0] += 1
                if unrecognisedFirst[codes] == nil { unrecognisedFirst[codes] = (row.line, row.path) }
            }
        }
    }

    private func finishPupil(_ draft: PupilDraft) {
        counts.pupilsRead += 1
        var errors = 0
        func issue(_ code: ImportIssue.Code, _ at: Value?, line: Int? = nil, path: String? = nil, _ reason: String, warning: Bool = false) {
            if !warning { errors += 1 }
            issues.append(ImportIssue(code, severity: warning ? .warning : .error, file: file, line: at?.line ?? line ?? draft.line,
                                      column: at?.path ?? path, value: at?.text, reason: reason))
        }

        // UPN: the pupil's id.
        var upn: UPN?
        if let text = draft.upn {
            let validation = UPN.validate(text.text)
            if validation.upn == nil {
                issue(.invalidUPN, text, "invalid UPN: " + validation.errors.map(\.message).joined(separator: "; "))
            } else {
                upn = validation.upn
                for warning in validation.warnings { issue(.upnWarning, text, warning.message, warning: true) }
            }
        } else {
            issue(.missingValue, nil, path: draft.path + "/UPN", "no UPN: Headway identifies a CTF pupil by UPN, so this record cannot be read")
        }

        // Names reach terminals and pages (issue 12, item 13).
        for (name, what) in [(draft.surname, "surname"), (draft.forename, "forename")] {
            if let name, let problem = name.text.unsafeCharacterProblem {
                issue(.unsafeText, name, "the \(what) \(problem): correct it in the sending school's record")
            }
        }

        var characteristics: [String: String] = [:]
        var dateOfBirth: CalendarDate?
        if let dob = draft.dob {
            dateOfBirth = CalendarDate(parsing: dob.text)
            if dateOfBirth == nil { issue(.invalidDate, dob, "not a date of birth: expected YYYY-MM-DD") }
        }
        if let sex = draft.sex {
            let code = sex.text.uppercased()
            if code == "M" || code == "F" {
                characteristics[Characteristic.gender] = code
            } else {
                issue(.invalidCharacteristic, sex, "not M or F: gender not recorded", warning: true)
            }
        }

        // FSM: now and Ever 6 (dfe-rules §7), only when the record has an FSM history.
        if draft.fsmHistory {
            var periods: [(start: CalendarDate, end: CalendarDate?)] = []
            for instance in draft.fsm {
                let start = instance.start.flatMap { CalendarDate(parsing: $0.text) }
                if let s = instance.start, start == nil { issue(.invalidDate, s, "not an FSM start date: expected YYYY-MM-DD") }
                let end = instance.end.flatMap { CalendarDate(parsing: $0.text) }
                if let e = instance.end, end == nil { issue(.invalidDate, e, "not an FSM end date: expected YYYY-MM-DD") }
                if instance.start == nil {
                    issue(.missingValue, nil, line: instance.line, path: draft.path + "/FSMhistory/FSMinstance",
                          "an FSM instance without a start date is left out of fsm and disadvantaged", warning: true)
                }
                if let start { periods.append((start, end)) }
            }
            if let date = fileDate {
                let sixYearsBefore = CalendarDate(year: date.year - 6, month: date.month, day: date.day)
                    ?? CalendarDate(year: date.year - 6, month: date.month, day: 28)!
                let now = periods.contains { $0.start <= date && ($0.end.map { $0 >= date } ?? true) }
                let ever6 = periods.contains { $0.start <= date && ($0.end.map { $0 >= sixYearsBefore } ?? true) }
                characteristics[CTFFile.fsmCharacteristic] = String(now)
                // Ever 6 makes a pupil disadvantaged; its absence does not make them not
                // disadvantaged (looked after, adopted from care: not in a CTF), so only `true`
                // is written and a stored `true` from the MIS is never overturned.
                if ever6 { characteristics[Characteristic.disadvantaged] = "true" }
            } else if !dateWarningGiven {
                dateWarningGiven = true
                issues.append(ImportIssue(.invalidDate, severity: .warning, file: file, line: headerLine, column: "CTfile/Header/DateTime",
                                          value: header.dateTime,
                                          reason: "no usable header DateTime (yyyy-MM-ddTHH:mm:ss), so FSM now and Ever 6 cannot be worked out: fsm and disadvantaged are not set for any pupil of this file"))
            }
        }

        // SEN: the latest provision.
        var latest: (date: CalendarDate?, code: String)?
        for entry in draft.sen {
            var date: CalendarDate?
            if let d = entry.date {
                date = CalendarDate(parsing: d.text)
                if date == nil { issue(.invalidDate, d, "not an SEN start date: expected YYYY-MM-DD") }
            }
            guard let provision = entry.provision else { continue }
            let raw = provision.text.uppercased()
            let code: String
            switch raw {
            case "N", "K", "E": code = raw
            case "S":
                code = "E"
                issue(.invalidCharacteristic, provision, "legacy code S (statement of SEN) read as E (EHC plan)", warning: true)
            case "A", "P":
                code = "K"
                issue(.invalidCharacteristic, provision, "legacy code \(raw) (School Action\(raw == "P" ? " Plus" : "")) read as K (SEN support)", warning: true)
            default:
                issue(.invalidCharacteristic, provision, "not an SEN provision code: expected N (none), K (SEN support) or E (EHC plan); this entry is left out", warning: true)
                continue
            }
            if let previous = latest, let p = previous.date, date.map({ $0 < p }) ?? true { continue }
            latest = (date, code)
        }
        if let latest { characteristics[Characteristic.sen] = latest.code }

        // KS2 reading and maths.
        var reading: Int?, maths: Int?
        for result in draft.ks2 where !result.measure.isPriorAttainment {
            counts.ks2OtherResults[result.measure, default: 0] += 1
        }
        // A KS2 row the table does not know, on a pupil left with no reading or no maths result at
        // all, is most likely that subject in a form the table lacks (issue 12: REA/SCL lost every
        // reading score with exit 0): tallied here, one error per combination at the end.
        let lacking = Set(KS2CodeTable.Measure.priorAttainment.filter { m in !draft.ks2.contains { $0.measure == m } })
        if !lacking.isEmpty {
            for codes in Set(draft.unmatched) {
                leftEmpty[codes, default: (0, [])].pupils += 1
                leftEmpty[codes, default: (0, [])].measures.formUnion(lacking)
            }
        }
        for measure in KS2CodeTable.Measure.priorAttainment {
            var chosen: (text: String, line: Int)?
            var score: Int?
            var code: String?
            for result in draft.ks2 where result.measure == measure {
                guard let value = result.result else {
                    issue(.missingValue, nil, line: result.row.line, path: result.row.path + "/Result",
                          "a KS2 \(measure.subjectName) result (\(result.row.codes)) with no Result")
                    continue
                }
                let text = value.text.uppercased()
                let isScore = Int(text).map { PriorAttainment.validScaledScores.contains($0) } ?? false
                guard isScore || CTFFile.ks2ResultCodes[text] != nil else {
                    let range = PriorAttainment.validScaledScores
                    issue(.invalidScaledScore, value,
                          "not a KS2 \(measure.subjectName) scaled score or result code: expected a whole number from \(range.lowerBound) to \(range.upperBound) (80–120, or a DfE nominal value below 80), or a code: \(CTFFile.ks2ResultCodes.keys.sorted().joined(separator: ", "))")
                    continue
                }
                if let earlier = chosen {
                    if earlier.text != text {
                        issue(.conflictingValue, value, "the pupil also has KS2 \(measure.subjectName) \"\(earlier.text)\" on line \(earlier.line): which is right cannot be told")
                    }
                    continue
                }
                chosen = (text, value.line)
                if isScore { score = Int(text) } else { code = text }
            }
            if measure == .readingScaledScore { reading = score } else { maths = score }
            if let code, let characteristic = measure.resultCodeCharacteristic { characteristics[characteristic] = code }
        }

        // One record per UPN in a file.
        let index = pupils.count
        if let upn, let at = draft.upn {
            if let earlier = upnIndex[upn.rawValue] {
                issue(.conflictingPupil, at, "UPN \(upn) is also on line \(earlier.line): both pupil records are rejected (a CTF holds each pupil once)")
                pupils[earlier.index].accepted = false
            } else {
                upnIndex[upn.rawValue] = (index, at.line)
            }
        }
        guard let upn else { return }
        let prior = reading == nil && maths == nil ? nil : PriorAttainment(readingScaledScore: reading, mathsScaledScore: maths)
        let value = Pupil(id: Pupil.ID(upn.rawValue), upn: upn, forename: draft.forename?.text ?? "", surname: draft.surname?.text ?? "",
                          dateOfBirth: dateOfBirth, yearGroup: yearGroup, characteristics: characteristics, priorAttainment: prior)
        pupils.append((value, draft.upn?.line ?? draft.line, errors == 0))
    }

    /// The error for a combination of KS2 codes the table does not know that would leave pupils
    /// without a KS2 reading or maths result: the codes, how many pupils, and the entry to add.
    static func leftEmptyIssue(_ codes: KS2Codes, pupils: Int, measures: Set<KS2CodeTable.Measure>, results: Int, file: String,
                               line: Int, path: String) -> ImportIssue {
        let ordered = KS2CodeTable.Measure.priorAttainment.filter(measures.contains)
        // Which subject the codes most likely are: the only one missing, else by the subject code.
        let guess: KS2CodeTable.Measure
        if ordered.count == 1 {
            guess = ordered[0]
        } else {
            guess = (codes.subject ?? "").hasPrefix("MA") ? .mathsScaledScore : .readingScaledScore
        }
        var keys = ["measure = \"\(guess.rawValue)\""]
        for (key, value) in [("subject", codes.subject), ("method", codes.method), ("component", codes.component),
                             ("result_qualifier", codes.resultQualifier)] {
            if let value { keys.append("\(key) = \"\(value)\"") }
        }
        let subjects = ordered.map(\.subjectName).joined(separator: " or ")
        return ImportIssue(.unrecognisedKS2Result, file: file, line: line, column: path, value: codes.description,
                           reason: "\(pupils) pupil(s) have a KS2 result with these codes (\(results) in the file, the first here) and no KS2 \(subjects) result: the KS2 code table does not recognise these codes, so their \(subjects) would be left empty; if these are the \(guess.subjectName) test scaled scores, add this entry to the table (one key per line): [[match]] \(keys.joined(separator: " ")) — nothing is saved unless the valid records are accepted (--accept-valid)")
    }
}
