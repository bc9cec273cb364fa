/// A small, seeded pseudo-random number generator: xoshiro256** (Blackman & Vigna, 2018,
/// <https://prng.di.unimi.it>), its 256-bit state filled from the seed by SplitMix64 (Steele, Lea &
/// Flood, 2014), as the xoshiro authors recommend.
///
/// The same seed always gives the same sequence. Everything built on it (``nextUnit()``,
/// ``below(_:)``, ``normal(mean:standardDeviation:)``, ``shuffle(_:)``) is written here with
/// integer and basic IEEE 754 arithmetic only — never the standard library's `random(in:using:)`
/// or `shuffle(using:)`, whose algorithms may change between Swift releases, and never `libm`
/// functions, which may differ in the last bit between platforms — so a seed reproduces the same
/// values on every platform and toolchain.
///
/// Never use `SystemRandomNumberGenerator` in synthetic data: it cannot be replayed.
public struct SeededRandom: RandomNumberGenerator, Sendable {
    private var s0: UInt64
    private var s1: UInt64
    private var s2: UInt64
    private var s3: UInt64
    /// The second value of the last polar-method pair, used by the next ``normal(mean:standardDeviation:)``.
    private var spareNormal: Double?

    /// A generator whose state is derived from `seed`.
    public init(seed: UInt64) {
        var mixer = SplitMix64(state: seed)
        s0 = mixer.next()
        s1 = mixer.next()
        s2 = mixer.next()
        s3 = mixer.next()
        if s0 | s1 | s2 | s3 == 0 { s0 = 1 }  // the one forbidden state; SplitMix64 never yields it in practice
        spareNormal = nil
    }

    /// A generator with this raw state (not all zero), for checking against the reference
    /// implementation's test vectors.
    init(state: (UInt64, UInt64, UInt64, UInt64)) {
        (s0, s1, s2, s3) = state
        spareNormal = nil
    }

    /// An independent stream for one part of a generation run: `seed` mixed with a stable
    /// (FNV-1a, 64-bit) hash of `stream`, e.g. `"pupils"` or `"faults"`. Separate streams keep one
    /// part's draws from shifting another's when either changes.
    public init(seed: UInt64, stream: String) {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in stream.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        var mixer = SplitMix64(state: seed ^ hash)
        self.init(seed: mixer.next())
    }

    /// The next 64 random bits (xoshiro256**).
    public mutating func next() -> UInt64 {
        let result = rotateLeft(s1 &* 5, 7) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = rotateLeft(s3, 45)
        return result
    }

    /// A uniform `Double` in [0, 1) on a grid of 2⁻⁵³.
    public mutating func nextUnit() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// A uniform integer in `0..<bound` (`bound` > 0), without modulo bias (Lemire, 2019).
    public mutating func below(_ bound: Int) -> Int {
        precondition(bound > 0, "bound must be positive")
        let b = UInt64(bound)
        var product = next().multipliedFullWidth(by: b)
        if product.low < b {
            let threshold = (0 &- b) % b
            while product.low < threshold {
                product = next().multipliedFullWidth(by: b)
            }
        }
        return Int(product.high)
    }

    /// A uniform integer in `range` (non-empty).
    public mutating func integer(in range: ClosedRange<Int>) -> Int {
        range.lowerBound + below(range.upperBound - range.lowerBound + 1)
    }

    /// True with probability `p` (0…1).
    public mutating func chance(_ p: Double) -> Bool {
        nextUnit() < p
    }

    /// A normally distributed value (Marsaglia's polar method; `log` and `sqrt` from
    /// ``PortableMath`` and IEEE `squareRoot()`, so the result is the same on every platform).
    public mutating func normal(mean: Double = 0, standardDeviation: Double = 1) -> Double {
        if let spare = spareNormal {
            spareNormal = nil
            return mean + standardDeviation * spare
        }
        while true {
            let u = 2 * nextUnit() - 1
            let v = 2 * nextUnit() - 1
            let s = u * u + v * v
            if s > 0, s < 1 {
                let factor = (-2 * PortableMath.log(s) / s).squareRoot()
                spareNormal = v * factor
                return mean + standardDeviation * u * factor
            }
        }
    }

    /// One element of a non-empty array, uniformly.
    public mutating func pick<T>(_ items: [T]) -> T {
        items[below(items.count)]
    }

    /// An index into `weights` (non-negative, not all zero), with probability proportional to its weight.
    public mutating func pickIndex(weights: [Double]) -> Int {
        let total = weights.reduce(0, +)
        var r = nextUnit() * total
        for (index, w) in weights.enumerated() {
            if r < w { return index }
            r -= w
        }
        return weights.lastIndex { $0 > 0 } ?? 0
    }

    /// Fisher–Yates shuffle in place (Durstenfeld's form, drawing with ``below(_:)``).
    public mutating func shuffle<T>(_ items: inout [T]) {
        guard items.count > 1 else { return }
        for i in stride(from: items.count - 1, to: 0, by: -1) {
            let j = below(i + 1)
            if i != j { items.swapAt(i, j) }
        }
    }

    /// `count` distinct indices of `0..<weights.count` drawn without replacement, each draw with
    /// probability proportional to its weight (Efraimidis–Spirakis: smallest `−ln(u)/w`).
    /// Indices with weight 0 are never drawn. Returned in increasing order.
    public mutating func sampleIndices(count: Int, weights: [Double]) -> [Int] {
        var keyed: [(key: Double, index: Int)] = []
        keyed.reserveCapacity(weights.count)
        for (index, w) in weights.enumerated() {
            let u = 1 - nextUnit()  // (0, 1]
            guard w > 0 else { continue }
            keyed.append((-PortableMath.log(u) / w, index))
        }
        keyed.sort { ($0.key, $0.index) < ($1.key, $1.index) }
        return keyed.prefix(max(0, count)).map(\.index).sorted()
    }

    private func rotateLeft(_ x: UInt64, _ k: UInt64) -> UInt64 {
        (x << k) | (x >> (64 - k))
    }
}

/// SplitMix64 (Steele, Lea & Flood, "Fast splittable pseudorandom number generators", 2014):
/// used only to expand a 64-bit seed into generator state.
struct SplitMix64 {
    var state: UInt64

    mutating func next() -> UInt64 {
        state &+= 0x9e37_79b9_7f4a_7c15
        var z = state
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }
}

/// Elementary functions written with basic IEEE 754 arithmetic only (+, −, ×, ÷, exact scaling by
/// powers of two), so that synthetic data is bit-for-bit identical on every platform; the
/// platform `log`/`exp` may differ in the last bit. Accurate to a few units in the last place,
/// which is far more than synthetic data needs.
public enum PortableMath {
    /// ln 2, correctly rounded.
    static let ln2 = 0.693_147_180_559_945_3
    static let sqrt2 = 1.414_213_562_373_095_1

    /// Natural logarithm of a positive, finite, normal `x` (`x = m·2ᵉ`, then
    /// ln m = 2·atanh((m−1)/(m+1)) by its series). Returns −∞ for 0 and NaN for negatives.
    public static func log(_ x: Double) -> Double {
        if x.isNaN || x < 0 { return .nan }
        if x == 0 { return -.infinity }
        if x.isInfinite { return .infinity }
        var e = Int(x.exponent)
        var m = x.significand  // [1, 2), exact
        if m > sqrt2 {
            m /= 2
            e += 1
        }
        let t = (m - 1) / (m + 1)  // |t| ≤ 0.1716
        let t2 = t * t
        var term = t
        var sum = t
        var k = 1.0
        for _ in 0..<14 {
            term *= t2
            k += 2
            sum += term / k
        }
        return 2 * sum + Double(e) * ln2
    }

    /// e^x, by x = k·ln 2 + r, |r| ≤ ln 2 / 2 (Cody–Waite reduction with ln 2 split in two, the
    /// constants of fdlibm's `e_exp.c`), a Taylor series for e^r and exact scaling by 2ᵏ.
    public static func exp(_ x: Double) -> Double {
        if x.isNaN { return .nan }
        if x > 709 { return .infinity }
        if x < -708 { return 0 }  // below the normal range; synthetic data never gets here
        let ln2High = 6.931_471_803_691_238_164_90e-01  // 32 significant bits: k × ln2High is exact
        let ln2Low = 1.908_214_929_270_587_700_02e-10
        let k = (x / ln2).rounded()
        let r = (x - k * ln2High) - k * ln2Low
        var term = 1.0
        var sum = 1.0
        for n in 1...22 {
            term *= r / Double(n)
            sum += term
        }
        return Double(sign: .plus, exponent: Int(k), significand: sum)
    }

    /// The standard normal cumulative distribution function Φ(z), via the complementary error
    /// function approximation of Press et al., *Numerical Recipes* (2nd ed., §6.2, `erfcc`),
    /// fractional error below 1.2 × 10⁻⁷.
    public static func normalCDF(_ z: Double) -> Double {
        0.5 * erfc(-z / sqrt2)
    }

    static func erfc(_ x: Double) -> Double {
        let z = abs(x)
        let t = 1 / (1 + 0.5 * z)
        let poly = -z * z - 1.265_512_23 + t * (1.000_023_68 + t * (0.374_091_96 + t * (0.096_784_18
            + t * (-0.186_288_06 + t * (0.278_868_07 + t * (-1.135_203_98 + t * (1.488_515_87
            + t * (-0.822_152_23 + t * 0.170_872_77))))))))
        let answer = t * exp(poly)
        return x >= 0 ? answer : 2 - answer
    }
}
