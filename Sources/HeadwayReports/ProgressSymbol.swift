import HeadwayAnalytics

extension ProgressStatus.Band {
    /// The symbol every Headway page shows beside the band's words, so that progress is never
    /// told by colour alone (issue 7): ▲ above, ● on track, ▽ below, ▼ well below. One mapping
    /// for every report, so a symbol means the same on a parent report, a meeting sheet, a pack
    /// and a pupil record.
    public var symbol: String {
        switch self {
        case .above: "▲"
        case .onTrack: "●"
        case .below: "▽"
        case .wellBelow: "▼"
        }
    }

    /// The symbol shown where an entry has no progress status (the words say why).
    public static let noStatusSymbol = "○"
}
