import PyFlameLanguage

/// The arguments of one call, taken by position or by label the way Python binds them, with
/// Python's wording for what does not fit (`sum() got an unexpected keyword argument 'dims'`).
struct CallArguments {
    let function: String
    let callRange: SourceRange
    private var positional: [Expr]
    private var labelled: [String: (Expr, SourceRange)]
    private var positionTaken = 0

    init(_ function: String, _ arguments: [Argument], range: SourceRange) throws(Diagnostic) {
        self.function = function
        self.callRange = range
        positional = arguments.filter { $0.label == nil }.map(\.value)
        labelled = [:]
        for argument in arguments {
            guard let label = argument.label else { continue }
            if labelled[label] != nil {
                throw .error("\(function)() got multiple values for argument '\(label)'", at: argument.labelRange)
            }
            labelled[label] = (argument.value, argument.labelRange ?? argument.value.range)
        }
    }

    /// The next positional argument, or the labelled one.
    mutating func take(_ label: String) throws(Diagnostic) -> Expr? {
        if positionTaken < positional.count {
            let value = positional[positionTaken]
            positionTaken += 1
            if let (_, labelRange) = labelled[label] {
                throw .error("\(function)() got multiple values for argument '\(label)'", at: labelRange)
            }
            return value
        }
        return labelled.removeValue(forKey: label)?.0
    }

    /// Only by label (keyword-only arguments such as `dtype=`).
    mutating func keyword(_ label: String) -> Expr? { labelled.removeValue(forKey: label)?.0 }

    mutating func require(_ label: String) throws(Diagnostic) -> Expr {
        guard let value = try take(label) else {
            throw .error("\(function)() missing required argument '\(label)'", at: callRange)
        }
        return value
    }

    /// Fails on anything not taken.
    func finish() throws(Diagnostic) {
        if positionTaken < positional.count {
            throw .error(
                "\(function)() takes \(positionTaken) positional argument\(positionTaken == 1 ? "" : "s") but \(positional.count) were given",
                at: positional[positionTaken].range)
        }
        if let (label, (_, range)) = labelled.min(by: { $0.key < $1.key }) {
            throw .error("\(function)() got an unexpected keyword argument '\(label)'", at: range)
        }
    }
}
