extension CSLEvaluator {
    /// The type a type expression names (`[N]f32`, `*const u16`, `struct { ... }`, a name bound to a type).
    func evaluateType(_ e: CSLExpr, scope: CSLScope?) throws -> CSLType {
        switch e.kind {
        case .identifier(let name):
            if case .type(let t)? = CSLEvaluator.predeclaredNames[name] { return t }
        case .arrayType(let at):
            let element = try evaluateType(at.element, scope: scope)
            var dims: [Int] = []
            for d in at.dimensions {
                guard let d else { throw error("[_] takes its length from an array literal", at: e.range) }
                dims.append(try arrayBound(d, scope: scope))
            }
            return .array(dimensions: dims, element: element)
        case .pointerType(let pt):
            let to = try evaluateType(pt.pointee, scope: scope)
            return .pointer(to: to, many: pt.size != .one, const: pt.isConst)
        case .optionalType(let inner):
            return .opaque("?\(try evaluateType(inner, scope: scope))")
        case .functionType(let ft):
            let params = try ft.parameters.map { try evaluateType($0.type, scope: scope) }
            return .function(parameters: params, result: try evaluateType(ft.returnType, scope: scope))
        case .structType(let st), .unionType(let st):
            let fields = try st.fields.map { CSLFieldType(name: $0.name, type: try evaluateType($0.type, scope: scope)) }
            return .structType(name: "struct", fields: fields)
        case .enumType(let et):
            return .enumType(name: "enum", cases: et.members.map(\.name))
        default: break
        }
        let v = try evaluate(e, scope: scope)
        switch v {
        case .type(let t): return t
        case .opaque(let what): return .opaque(what)
        case .runtime: return .opaque("?")
        default: throw error("\(v) is not a type", at: e.range)
        }
    }

    /// `value` as a value of `type` (a declaration's, a parameter's): a `comptime_int` must fit an integer
    /// type, kinds must agree (an integer is not a color). Unknown values take the type.
    func coerce(_ value: CSLValue, to type: CSLType, at range: CSLSourceRange, what: String? = nil) throws -> CSLValue {
        let subject = what.map { "\($0): " } ?? ""
        switch (value, type) {
        case (.opaque, _): return value
        case (.runtime, _): return .runtime(type)
        case (_, .opaque): return value
        case (.int(let v, let t), .int):
            if t == type { return value }
            guard CSLIntArithmetic.fits(v, type) else {
                throw error(
                    "\(subject)integer overflow: \(v) does not fit \(type) (\(type.integerRange.map { "\($0.lowerBound) to \($0.upperBound)" } ?? ""))",
                    at: range)
            }
            return .int(v, type)
        case (.int(let v, _), .float), (.int(let v, _), .comptimeFloat):
            return .float(Double(v), type)
        case (.int, .comptimeInt): return value
        case (.float(let v, _), .float), (.float(let v, _), .comptimeFloat):
            return .float(v, type)
        case (.structValue, .comptimeStruct), (.tuple, .comptimeStruct): return value
        case (.tuple(let items), .array(let dims, let element)):
            let count = dims.reduce(1) { $0.multipliedReportingOverflow(by: $1).overflow ? Int.max : $0 * $1 }
            guard items.count == count else { throw error("\(subject)\(items.count) values given for \(type)", at: range) }
            return .array(CSLArrayValue(type: type, elements: try items.map { try coerce($0, to: element, at: range) }))
        case (.array(let a), .array):
            guard a.type.description == type.description else { throw error("\(subject)expected \(type), found \(a.type)", at: range) }
            return value
        case (.type, .type), (.bool, .bool), (.void, .void), (.color, .color), (.direction, .direction),
            (.inputQueue, .inputQueue), (.outputQueue, .outputQueue), (.string, .comptimeString), (.module, .module):
            return value
        case (.taskID(let k, _), .taskID(let want)):
            guard k == want else { throw error("\(subject)expected a \(want.typeName), found \(value)", at: range) }
            return value
        case (.dsd(let d), .dsd(let want)):
            guard d.kind == want else { throw error("\(subject)expected a \(want.rawValue), found a \(d.kind.rawValue)", at: range) }
            return value
        case (.structValue(let s), .structType(let name, let fields)):
            if s.typeName == name { return value }
            var out: [CSLStructField] = []
            for f in s.fields {
                guard let fd = fields.first(where: { $0.name == f.name }) else { throw error("\(subject)\(name) has no field .\(f.name)", at: range) }
                out.append(CSLStructField(f.name, try coerce(f.value, to: fd.type, at: range)))
            }
            return .structValue(CSLStructValue(typeName: name, fields: out))
        case (.enumCase, .enumType), (.pointer, .pointer), (.function, .function), (.function, .pointer):
            return value
        case (.pointer, .int):
            return .runtime(type)
        default:
            if isLooseKind(type) { return value }
            throw error("\(subject)expected \(type), found \(value)", at: range)
        }
    }

    /// Types whose values the evaluator does not check strictly (DSRs, fifos, pointers to what it does not
    /// model, `anytype`).
    private func isLooseKind(_ t: CSLType) -> Bool {
        switch t {
        case .dsr, .fifo, .pointer, .function, .module, .structType, .enumType, .array, .type: return true
        default: return false
        }
    }
}
