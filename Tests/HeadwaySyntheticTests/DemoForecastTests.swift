import HeadwayAnalytics
import HeadwayCore
import HeadwaySynthetic
import Testing

/// The demo's Key Stage 4 forecast: every Year 10–11 pupil takes English language (`EN`) and
/// English literature (`EL`), as in almost every English secondary school, so English is double
/// weighted in Attainment 8 and pupils with a humanity and a language enter the EBacc.
@Suite struct DemoForecastTests {
    static let index = YearIndex(demo.year)
    static let forecasts = KS4Forecast.compute(index, collection: demo.year.collections.last!)

    @Test func forecastsForYears10And11() {
        #expect(Self.forecasts.map(\.yearGroup) == [11, 10])
        for forecast in Self.forecasts {
            #expect(forecast.cohort.pupils.count == demo.year.pupils.filter { $0.yearGroup == forecast.yearGroup }.count)
        }
    }

    /// Every pupil predicted a grade in both English language and literature has English double
    /// weighted (DfE: only when both are taken); at DC3 that is every Key Stage 4 pupil.
    @Test func englishIsDoubleWeighted() {
        for forecast in Self.forecasts {
            for pupil in forecast.cohort.pupils {
                let both = ["EN", "EL"].allSatisfy { subject in
                    if case .grade? = Self.index.entry("DC3", YearIndex.PupilSubject(pupil.id, Subject.ID(subject)))?.predicted { true } else { false }
                }
                #expect(both, "\(pupil.id)")
                #expect(pupil.attainment8.englishDoubleWeighted == both, "\(pupil.id)")
            }
        }
    }

    /// EBacc entry needs both Englishes, maths, science, a humanity and a language: about four in
    /// ten take a language, nearly all a humanity, so roughly a quarter to a third enter (national
    /// 2023/24: about 40%).
    @Test func someEnterTheEBacc() throws {
        for forecast in Self.forecasts {
            let entry = try #require(forecast.cohort.ebaccEntryPercent)
            #expect((20...45).contains(entry), "Y\(forecast.yearGroup) EBacc entry \(entry)%")
            let takers = Set(demo.year.teachingGroups.filter { ["FR", "SP"].contains($0.subject) && $0.yearGroup == forecast.yearGroup }
                .flatMap(\.pupils))
            for pupil in forecast.cohort.pupils where pupil.ebacc.entered {
                #expect(takers.contains(pupil.id), "\(pupil.id) entered the EBacc without a language")
            }
        }
    }
}
