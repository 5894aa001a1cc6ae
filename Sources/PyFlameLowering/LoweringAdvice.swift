import PyFlameIR

/// A change to a refused lowering that has been tried and lowers: a refusal names only such a change, or
/// states the limit plainly when none does.
public enum LoweringAdvice {
    /// Most budgets tried: each try that fails on a busier PE raises the budget to that PE's need.
    static let maxTries = 8

    /// For a PE over its data budget: the least `pe_data_budget` within a PE's memory under which `result`'s
    /// cone lowers, found by lowering it again (polling `shouldStop`); nil when none does or for other refusals.
    /// Throws ``LoweringError/interrupted`` when stopped.
    public static func budget(
        for error: LoweringError, graph: Graph, result: NodeID, options: LoweringOptions,
        shouldStop: @escaping () -> Bool = { false }
    ) throws(LoweringError) -> Int? {
        guard case .peData(_, var bytes, _, _, _) = error.kind else { return nil }
        var tries = 0
        while bytes <= Architecture.peMemoryBytes, bytes > options.peDataBudget, tries < maxTries {
            tries += 1
            var raised = options
            raised.peDataBudget = bytes
            do {
                _ = try Lowering.lower(graph, result: result, options: raised, shouldStop: shouldStop)
                return bytes
            } catch  where error == LoweringError.interrupted {
                throw error
            } catch {
                guard case .peData(_, let more, _, _, _) = error.kind, more > bytes else { return nil }
                bytes = more
            }
        }
        return nil
    }

    /// The refusal's message with the change tried: `; `set pe_data_budget N` lowers it`, or the limit when no
    /// budget a PE can hold lowers it. Other refusals read as they are.
    public static func message(
        for error: LoweringError, graph: Graph, result: NodeID, options: LoweringOptions,
        shouldStop: @escaping () -> Bool = { false }
    ) throws(LoweringError) -> String {
        guard case .peData = error.kind else { return error.message }
        if let budget = try budget(for: error, graph: graph, result: result, options: options, shouldStop: shouldStop) {
            return "\(error.message); `set pe_data_budget \(budget)` lowers it"
        }
        return "\(error.message); no pe_data_budget up to a PE's \(Architecture.peMemoryBytes) B lowers it"
    }
}
