/// The float64 path of the reference evaluator: what the simulator's result is compared with when it
/// accumulates (a sum, a mean, a matmul). The inputs are the tensors' own (f32, f16, bf16) values, which
/// are exact in double; the products of two of them are exact in double too, so the only error of these
/// values is the double additions' (at most count·2⁻⁵³·Σ|terms|, which the comparison's bound includes).
extension Evaluator {
    /// Σ and Σ|·| of `count` elements from `base`, `stride` apart, in double, in index order.
    public static func sumLine64(_ x: [Double], base: Int, count: Int, stride: Int) -> (sum: Double, magnitude: Double) {
        var sum = 0.0, magnitude = 0.0
        for k in 0..<count {
            let v = x[base + k * stride]
            sum += v
            magnitude += abs(v)
        }
        return (sum, magnitude)
    }

    /// Σ_p a[i,p]·b[p,j] and Σ_p |a[i,p]·b[p,j]| in double, for row-major `a` (m×k) and `b` (k×n).
    public static func dot64(_ a: [Double], _ b: [Double], i: Int, j: Int, k: Int, n: Int) -> (sum: Double, magnitude: Double) {
        var sum = 0.0, magnitude = 0.0
        for p in 0..<k {
            let t = a[i * k + p] * b[p * n + j]
            sum += t
            magnitude += abs(t)
        }
        return (sum, magnitude)
    }
}
