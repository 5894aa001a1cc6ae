import PyFlameLowering

extension CSLEmitter {
    /// The template that renders the steps of an op with this pattern (one per CSL pattern; see
    /// docs/csl.md). Every case maps to exactly one; a new pattern does not compile until it has one.
    static func template(for pattern: OpPattern) -> String {
        switch pattern {
        case .elementwise(let e): return e.inputs >= 2 ? "elementwise_binary" : "elementwise_unary"
        case .reduce(let r): return r.chain == .local ? "reduction_local" : "reduction_chain"
        case .matmul(let m): return m.grid == nil ? "matmul_single_pe" : "matmul_grid"
        // A zero fill is an elementwise loop beside the movement steps: the template that renders both.
        case .layoutTransform(let t): return t.zeroFill ? "elementwise_unary" : t.local ? "transpose_local" : "layout_transform"
        }
    }

    /// The template of a step that belongs to no lowered op: a transfer of the routing playground, which
    /// is a fabric step rendered like the movement steps of a layout transform. A compute step always
    /// belongs to an op.
    static func template(forUnownedStep step: PEStep) -> String? {
        switch step {
        case .fabric: return "layout_transform"
        case .compute: return nil
        }
    }

    /// True when the pattern computes a scalar function our PE programs write as plain arithmetic
    /// (exp, tanh, sigmoid, gelu, silu) or with `<math>` (sqrt): within a few ulps of the reference, not exact.
    static func isTranscendental(_ pattern: OpPattern) -> Bool {
        switch pattern {
        case .elementwise(let e): return e.ops.contains { ["exp", "sigmoid", "tanh", "gelu", "silu", "sqrt"].contains($0) }
        case .reduce, .matmul, .layoutTransform: return false
        }
    }
}
