import HeadwayAnalytics
import HeadwayCore
import Testing

/// Flight paths: expected grades at each collection, worked by hand.
@Suite struct TargetsFlightPathTests {
    typealias C = FlightPath.Checkpoint

    /// Three collections a year, Y7 DC1 … Y11 DC3: 15 checkpoints, i = 0 … 14. Start half the
    /// target: target 6 → expected(i) = 3 + (6 − 3)·i/14.
    @Test func linearFromHalfTheTarget() throws {
        let path = FlightPathSettings().path(to: 6, subject: "MA", collectionsPerYear: 3)
        #expect(path.points.count == 15)
        #expect(path.points.first?.checkpoint == C(yearGroup: 7, collection: 1))
        #expect(path.points.last?.checkpoint == C(yearGroup: 11, collection: 3))
        #expect(path.expected(at: C(yearGroup: 7, collection: 1)) == 3)  // i = 0
        #expect(abs(try #require(path.expected(at: C(yearGroup: 7, collection: 2))) - (3 + 3.0 / 14)) < 1e-12)  // i = 1: 3.2143
        #expect(abs(try #require(path.expected(at: C(yearGroup: 9, collection: 2))) - 4.5) < 1e-12)  // i = 7: 3 + 21/14
        #expect(abs(try #require(path.expected(at: C(yearGroup: 10, collection: 1))) - (3 + 27.0 / 14)) < 1e-12)  // i = 9: 4.9286
        #expect(abs(try #require(path.expected(at: C(yearGroup: 11, collection: 2))) - (3 + 39.0 / 14)) < 1e-12)  // i = 13: 5.7857
        #expect(path.expected(at: C(yearGroup: 11, collection: 3)) == 6)  // i = 14: the target
        #expect(path.expected(at: C(yearGroup: 12, collection: 1)) == nil)
        // Never falls.
        #expect(zip(path.points, path.points.dropFirst()).allSatisfy { $0.expected <= $1.expected })
    }

    /// From a fixed grade 1 to a target of 5: expected(i) = 1 + 4·i/14; two collections a year
    /// (10 checkpoints): 1 + 4·i/9.
    @Test func linearFromAFixedGrade() throws {
        let settings = FlightPathSettings(start: .grade(1))
        let three = settings.path(to: 5, subject: "EN", collectionsPerYear: 3)
        #expect(three.expected(at: C(yearGroup: 7, collection: 1)) == 1)
        #expect(abs(try #require(three.expected(at: C(yearGroup: 8, collection: 1))) - (1 + 12.0 / 14)) < 1e-12)  // i = 3: 1.857
        #expect(three.expected(at: C(yearGroup: 11, collection: 3)) == 5)
        let two = settings.path(to: 5, subject: "EN", collectionsPerYear: 2)
        #expect(two.points.count == 10)
        #expect(abs(try #require(two.expected(at: C(yearGroup: 9, collection: 1))) - (1 + 16.0 / 9)) < 1e-12)  // i = 4: 2.778
        #expect(two.expected(at: C(yearGroup: 11, collection: 2)) == 5)
        // A target below the start grade: flat at the target.
        let flat = settings.path(to: 0, subject: "EN", collectionsPerYear: 3)
        #expect(flat.points.allSatisfy { $0.expected == 0 })
        // The settings' own count wins over the calendar's.
        #expect(FlightPathSettings(collectionsPerYear: 6).path(to: 5, subject: "EN", collectionsPerYear: 3).points.count == 30)
    }

    /// A school's own table for MA: rows for targets 4 and 6 over 10 checkpoints (two a year).
    /// Target 5 is halfway between the rows; 5.5 three quarters of the way; 9 takes the top row.
    @Test func aSchoolTablePerSubject() throws {
        let checkpoints = C.course(collectionsPerYear: 2)
        let table = FlightPathTable(checkpoints: checkpoints, rows: [
            4: [1.0, 1.2, 1.6, 2.0, 2.4, 2.8, 3.2, 3.5, 3.8, 4.0],
            6: [2.0, 2.4, 3.0, 3.5, 4.0, 4.5, 5.0, 5.4, 5.8, 6.0],
            7: [1, 2, 3],  // wrong length: ignored
        ])
        #expect(table.rows.keys.sorted() == [4, 6])
        let settings = FlightPathSettings(tables: ["MA": table])
        let five = settings.path(to: 5, subject: "MA", collectionsPerYear: 2)
        #expect(abs(try #require(five.expected(at: C(yearGroup: 7, collection: 1))) - 1.5) < 1e-12)  // (1.0 + 2.0)/2
        #expect(abs(try #require(five.expected(at: C(yearGroup: 9, collection: 2))) - 3.65) < 1e-12)  // column 5: (2.8 + 4.5)/2
        #expect(abs(try #require(five.expected(at: C(yearGroup: 11, collection: 2))) - 5.0) < 1e-12)
        let fiveHalf = settings.path(to: 5.5, subject: "MA", collectionsPerYear: 2)
        // Y8 DC1 is column 2 (rows 1.6 and 3.0); t = (5.5 − 4)/(6 − 4) = 0.75: 1.6 + 0.75 × 1.4 = 2.65.
        #expect(abs(try #require(fiveHalf.expected(at: C(yearGroup: 8, collection: 1))) - 2.65) < 1e-12)
        #expect(settings.path(to: 9, subject: "MA", collectionsPerYear: 2).points.map(\.expected) == table.rows[6])
        #expect(settings.path(to: 3, subject: "MA", collectionsPerYear: 2).points.map(\.expected) == table.rows[4])
        // Other subjects stay linear.
        #expect(settings.path(to: 6, subject: "EN", collectionsPerYear: 2).expected(at: C(yearGroup: 7, collection: 1)) == 3)
    }

    @Test func checkpointsReadAsCollections() {
        #expect(C(yearGroup: 9, collection: 2).description == "Y9 DC2")
        #expect(C(yearGroup: 8, collection: 3) < C(yearGroup: 9, collection: 1))
        #expect(C.course(collectionsPerYear: 3).map(\.description).prefix(4) == ["Y7 DC1", "Y7 DC2", "Y7 DC3", "Y8 DC1"])
    }
}
