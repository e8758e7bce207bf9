/// Addition and subtraction modulo one modulus, in a fixed-width word.
///
/// The size-weight table counts coalitions modulo a few coprime moduli, one
/// pass each, instead of in words wide enough for the counts themselves
/// (up to 2^parties): a narrower word keeps the table within the memory
/// budget, and `ResidueReconstruction` rebuilds the exact counts.
///
/// A modulus of zero stands for 2^bitWidth (plain wrapping arithmetic);
/// any other is below 2^(bitWidth − 1), so a sum of two residues never
/// overflows. Both operations are branch-free: `min` picks the reduced value.
struct Residues<Cell: FixedWidthInteger & UnsignedInteger & Sendable>: Sendable {
    let modulus: Cell

    @inline(__always) func sum(_ a: Cell, _ b: Cell) -> Cell {
        let sum = a &+ b
        return Swift.min(sum, sum &- modulus)
    }

    @inline(__always) func difference(_ a: Cell, _ b: Cell) -> Cell {
        let difference = a &- b
        return Swift.min(difference, difference &+ modulus)
    }

    /// target[x] += source[x] for x in 0..<count (the ranges do not overlap).
    /// Modulo 2^bitWidth the loop is a plain wrapping add, which vectorises.
    @inline(__always) func addShifted(from source: UnsafePointer<Cell>, to target: UnsafeMutablePointer<Cell>, count: Int) {
        if modulus == 0 {
            for x in 0..<count { target[x] &+= source[x] }
        } else {
            for x in 0..<count { target[x] = sum(target[x], source[x]) }
        }
    }

    /// The modulus as a number (2^bitWidth for zero).
    var value: BigUInt { modulus == 0 ? BigUInt(1) << Cell.bitWidth : BigUInt(UInt64(modulus)) }

    /// The moduli whose product exceeds 2^bits, so that every count below it
    /// is told apart: 2^bitWidth, then the largest primes below 2^(bitWidth − 1).
    static func moduli(telling bits: Int) -> [Residues] {
        var moduli = [Residues(modulus: 0)]
        var product = BigUInt(1) << Cell.bitWidth
        var candidate = (UInt64(1) << (Cell.bitWidth - 1)) - 1
        while product.bitWidth <= bits {
            precondition(candidate > 2, "too few primes below 2^\(Cell.bitWidth - 1) for \(bits) bits")
            if isPrime(candidate) {
                moduli.append(Residues(modulus: Cell(candidate)))
                product.multiply(by: candidate)
            }
            candidate -= 2
        }
        return moduli
    }
}

/// Rebuilds numbers from their residues modulo coprime moduli, one modulus at
/// a time (Garner's form of the Chinese remainder theorem): after each pass
/// every value is the unique number below the product of the moduli so far
/// with the residues seen.
struct ResidueReconstruction: Sendable {
    private(set) var values: [BigUInt]
    /// The product of the moduli taken in so far; `nil` before the first.
    private var product: BigUInt?

    init(count: Int) {
        values = [BigUInt](repeating: .zero, count: count)
    }

    /// Takes in the residues of every value modulo `modulus`, which is either a
    /// power of two (first pass only) or an odd prime below 2^63.
    mutating func include(_ residues: [UInt64], modulo modulus: BigUInt) {
        precondition(residues.count == values.count)
        guard var product else {
            values = residues.map(BigUInt.init)
            product = modulus
            return
        }
        let prime = modulus.uint64Value!
        let inverse = inverseModulo(product.quotientAndRemainder(dividingBy: prime).remainder, prime)
        for index in values.indices {
            let known = values[index].quotientAndRemainder(dividingBy: prime).remainder
            let gap = residues[index] >= known ? residues[index] - known : residues[index] + (prime - known)
            let step = multiplyModulo(gap, inverse, prime)
            if step != 0 { values[index].addProduct(product, BigUInt(step)) }
        }
        product.multiply(by: prime)
        self.product = product
    }
}

@inline(__always) private func multiplyModulo(_ a: UInt64, _ b: UInt64, _ modulus: UInt64) -> UInt64 {
    UInt64(UInt128(a) * UInt128(b) % UInt128(modulus))
}

private func powerModulo(_ base: UInt64, _ exponent: UInt64, _ modulus: UInt64) -> UInt64 {
    var result: UInt64 = 1, base = base % modulus, exponent = exponent
    while exponent > 0 {
        if exponent & 1 == 1 { result = multiplyModulo(result, base, modulus) }
        base = multiplyModulo(base, base, modulus)
        exponent >>= 1
    }
    return result
}

/// The inverse of `value` modulo the prime `prime` (Fermat's little theorem).
private func inverseModulo(_ value: UInt64, _ prime: UInt64) -> UInt64 {
    powerModulo(value, prime - 2, prime)
}

/// Deterministic Miller–Rabin: these bases decide every number below 3.3·10^24.
func isPrime(_ n: UInt64) -> Bool {
    let bases: [UInt64] = [2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37]
    guard n >= 2 else { return false }
    for base in bases where n % base == 0 { return n == base }
    var oddPart = n - 1, twos = 0
    while oddPart & 1 == 0 { oddPart >>= 1; twos += 1 }
    witnesses: for base in bases {
        var x = powerModulo(base, oddPart, n)
        if x == 1 || x == n - 1 { continue }
        for _ in 1..<max(twos, 1) {
            x = multiplyModulo(x, x, n)
            if x == n - 1 { continue witnesses }
        }
        return false
    }
    return true
}
