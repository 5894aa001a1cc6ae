extension CSLParserState {
    /// A full expression (Zig's precedence: `or` lowest, then `and`, comparisons, bitwise, shifts, additive,
    /// multiplicative, prefix operators, suffixes).
    mutating func parseExpression() throws(CSLDiagnostic) -> CSLExpr {
        try enter()
        defer { leave() }
        return try parseBinary(minimumPrecedence: 1)
    }

    /// A type where one is expected (`: T`, a return type): any expression, as types are values.
    mutating func parseTypeExpression() throws(CSLDiagnostic) -> CSLExpr {
        try enter()
        defer { leave() }
        return try parsePrefix()
    }

    /// Precedence climbing: operators of one level associate to the left. Each operator of a chain counts as a
    /// level of nesting (the tree gets one deeper), so `a + b + ... ` of more than the limit is refused too.
    mutating func parseBinary(minimumPrecedence: Int) throws(CSLDiagnostic) -> CSLExpr {
        var lhs = try parsePrefix()
        var chain = 0
        defer { depth -= chain }
        while let op = binaryOperator(peek.kind), op.precedence >= minimumPrecedence {
            let opToken = advance()
            chain += 1
            depth += 1
            if depth > CSLParser.maxDepth {
                throw error("expression too long: more than \(CSLParser.maxDepth) nested operators (split it over several constants)", at: opToken.range)
            }
            let rhs = try parseBinary(minimumPrecedence: op.precedence + 1)
            lhs = CSLExpr(.binary(op, lhs, rhs), lhs.range.union(rhs.range))
        }
        return lhs
    }

    func binaryOperator(_ kind: CSLTokenKind) -> CSLBinaryOperator? {
        switch kind {
        case .keyword(.or): return .or
        case .keyword(.and): return .and
        case .keyword(.orelse): return .orElse
        case .keyword(.catch_): return .catch
        case .symbol(let s):
            switch s {
            case .equal: return .equal
            case .notEqual: return .notEqual
            case .less: return .less
            case .greater: return .greater
            case .lessEqual: return .lessOrEqual
            case .greaterEqual: return .greaterOrEqual
            case .ampersand: return .bitAnd
            case .caret: return .bitXor
            case .pipe: return .bitOr
            case .shiftLeft: return .shiftLeft
            case .shiftRight: return .shiftRight
            case .plus: return .add
            case .minus: return .subtract
            case .plusPlus: return .concatenate
            case .plusPercent: return .wrappingAdd
            case .minusPercent: return .wrappingSubtract
            case .star: return .multiply
            case .slash: return .divide
            case .percent: return .remainder
            case .starStar: return .repeatArray
            case .starPercent: return .wrappingMultiply
            case .pipePipe: return .mergeErrorSets
            default: return nil
            }
        default: return nil
        }
    }

    /// Prefix operators (`-x`, `!c`, `~m`, `&buf`, `comptime e`) and prefix type operators (`*T`, `[*]T`, `[N]T`,
    /// `?T`), then a suffix expression with an optional literal body (`[3]i16{ 1, 2, 3 }`).
    mutating func parsePrefix() throws(CSLDiagnostic) -> CSLExpr {
        let start = peek.range.start
        let unary: CSLUnaryOperator?
        switch peek.kind {
        case .symbol(.minus): unary = .negate
        case .symbol(.minusPercent): unary = .wrappingNegate
        case .symbol(.bang): unary = .not
        case .symbol(.tilde): unary = .bitNot
        case .symbol(.ampersand): unary = .addressOf
        default: unary = nil
        }
        if let unary {
            advance()
            try enter()
            defer { leave() }
            let operand = try parsePrefix()
            return CSLExpr(.unary(unary, operand), range(from: start))
        }
        if accept(.comptime) {
            let operand = try parseExpression()
            return CSLExpr(.comptime(operand), range(from: start))
        }
        let base: CSLExpr
        switch peek.kind {
        case .symbol(.question):
            advance()
            let wrapped = try parseNestedType()
            base = CSLExpr(.optionalType(wrapped), range(from: start))
        case .symbol(.star), .symbol(.starStar):
            let double = advance().kind == .symbol(.starStar)
            // `**T` is two levels of nesting, as `* *T`.
            if double { try enter() }
            defer { if double { leave() } }
            var pointer = try parsePointerRest(size: .one)
            if double {
                let inner = CSLExpr(.pointerType(pointer), range(from: start))
                pointer = CSLPointerType(size: .one, isConst: false, pointee: inner)
            }
            base = CSLExpr(.pointerType(pointer), range(from: start))
        case .symbol(.lBracket):
            base = try parseBracketType()
        default:
            base = try parseSuffix()
        }
        if allowsInitList && isSymbol(.lBrace) {
            return try parseInitList(type: base, start: start)
        }
        return base
    }

    /// The type after a prefix type operator: one level deeper.
    mutating func parseNestedType() throws(CSLDiagnostic) -> CSLExpr {
        try enter()
        defer { leave() }
        let saved = allowsInitList
        allowsInitList = false
        defer { allowsInitList = saved }
        return try parsePrefix()
    }

    /// After `*` or `[*]`: `const`, `volatile`, `align(N)` in any order, then the pointee.
    mutating func parsePointerRest(size: CSLPointerType.Size) throws(CSLDiagnostic) -> CSLPointerType {
        var isConst = false
        var isVolatile = false
        var alignment: CSLExpr?
        while true {
            if accept(.const_) {
                isConst = true
            } else if accept(.volatile) {
                isVolatile = true
            } else if isKeyword(.align) {
                alignment = try parseAlign()
            } else {
                break
            }
        }
        let pointee = try parseNestedType()
        return CSLPointerType(size: size, isConst: isConst, isVolatile: isVolatile, alignment: alignment, pointee: pointee)
    }

    /// `[*]T`, `[]T`, `[N]T`, `[M, N]T`, `[_]T`.
    mutating func parseBracketType() throws(CSLDiagnostic) -> CSLExpr {
        let start = peek.range.start
        advance()
        if peek.kind == .symbol(.star) && peek(1).kind == .symbol(.rBracket) {
            advance()
            advance()
            let pointer = try parsePointerRest(size: .many)
            return CSLExpr(.pointerType(pointer), range(from: start))
        }
        if accept(.rBracket) {
            let pointer = try parsePointerRest(size: .slice)
            return CSLExpr(.pointerType(pointer), range(from: start))
        }
        var dimensions: [CSLExpr?] = []
        repeat {
            if peek.kind == .identifier && text(peek) == "_" && (peek(1).kind == .symbol(.rBracket) || peek(1).kind == .symbol(.comma)) {
                advance()
                dimensions.append(nil)
            } else {
                dimensions.append(try parseExpression())
            }
        } while accept(.comma)
        try expect(.rBracket, "to close the array length")
        let element = try parseNestedType()
        return CSLExpr(.arrayType(CSLArrayType(dimensions: dimensions, element: element)), range(from: start))
    }

    /// A primary expression and its suffixes: `.name`, `.*`, `[i, j]`, `[a..b]`, `(args)`.
    mutating func parseSuffix() throws(CSLDiagnostic) -> CSLExpr {
        var expr = try parsePrimary()
        var chain = 0
        defer { depth -= chain }
        while true {
            let start = expr.range.start
            switch peek.kind {
            case .symbol(.dot):
                guard peek(1).kind == .identifier else {
                    advance()
                    throw expected("a field name after '.'")
                }
                advance()
                let name = advance()
                expr = CSLExpr(.member(expr, name: text(name), nameRange: name.range), range(from: start))
            case .symbol(.dotStar):
                advance()
                expr = CSLExpr(.dereference(expr), range(from: start))
            case .symbol(.lBracket):
                advance()
                let first = try parseExpression()
                if accept(.dotDot) {
                    var end: CSLExpr?
                    if !isSymbol(.rBracket) { end = try parseExpression() }
                    try expect(.rBracket, "to close the slice")
                    expr = CSLExpr(.slice(expr, start: first, end: end), range(from: start))
                } else {
                    var indices = [first]
                    while accept(.comma) {
                        if isSymbol(.rBracket) { break }
                        indices.append(try parseExpression())
                    }
                    try expect(.rBracket, "to close the index")
                    expr = CSLExpr(.index(expr, indices: indices), range(from: start))
                }
            case .symbol(.lParen):
                advance()
                let arguments = try parseArguments()
                expr = CSLExpr(.call(expr, arguments: arguments), range(from: start))
            default:
                return expr
            }
            chain += 1
            depth += 1
            if depth > CSLParser.maxDepth {
                throw error("nesting too deep (over \(CSLParser.maxDepth) levels)", at: CSLSourceRange(expr.range.end, expr.range.end))
            }
        }
    }

    /// Arguments after `(` up to and including `)`; a trailing comma is allowed.
    mutating func parseArguments() throws(CSLDiagnostic) -> [CSLExpr] {
        var arguments: [CSLExpr] = []
        let saved = allowsInitList
        allowsInitList = true
        defer { allowsInitList = saved }
        while !accept(.rParen) {
            arguments.append(try parseExpression())
            if !accept(.comma) {
                guard isSymbol(.rParen) else { throw expected("',' or ')' in the argument list") }
            }
        }
        return arguments
    }

    mutating func parsePrimary() throws(CSLDiagnostic) -> CSLExpr {
        let token = peek
        let start = token.range.start
        switch token.kind {
        case .integer:
            advance()
            let spelled = text(token)
            return CSLExpr(.integer(text: spelled, value: CSLLiterals.integerValue(spelled)), token.range)
        case .float:
            advance()
            let spelled = text(token)
            return CSLExpr(.float(text: spelled, value: CSLLiterals.floatValue(spelled)), token.range)
        case .string:
            advance()
            let value = try CSLLiterals.decodeString(text(token), at: token.range, in: file)
            return CSLExpr(.string(value), token.range)
        case .character:
            advance()
            let value = try CSLLiterals.decodeCharacter(text(token), at: token.range, in: file)
            return CSLExpr(.character(value), token.range)
        case .identifier:
            advance()
            switch text(token) {
            case "true": return CSLExpr(.bool(true), token.range)
            case "false": return CSLExpr(.bool(false), token.range)
            case "null": return CSLExpr(.null, token.range)
            case "undefined": return CSLExpr(.undefined, token.range)
            case let name: return CSLExpr(.identifier(name), token.range)
            }
        case .keyword(.unreachable):
            advance()
            return CSLExpr(.unreachable, token.range)
        case .builtin:
            advance()
            let name = String(text(token).dropFirst())
            try expect(.lParen, "after the builtin @\(name)")
            let arguments = try parseArguments()
            return CSLExpr(.builtinCall(name: name, nameRange: token.range, arguments: arguments), range(from: start))
        case .symbol(.dot):
            if peek(1).kind == .symbol(.lBrace) {
                advance()
                return try parseInitList(type: nil, start: start)
            }
            advance()
            guard peek.kind == .identifier else { throw expected("a name or '{' after '.'") }
            let name = advance()
            return CSLExpr(.enumLiteral(text(name)), range(from: start))
        case .symbol(.lParen):
            advance()
            let saved = allowsInitList
            allowsInitList = true
            defer { allowsInitList = saved }
            let inner = try parseExpression()
            try expect(.rParen, "to close '('")
            return CSLExpr(inner.kind, range(from: start))
        case .symbol(.lBrace):
            let block = try parseBlock()
            return CSLExpr(.block(block), block.range)
        case .symbol(.pipe):
            return try parseTensorAccess()
        case .symbol(.pipePipe):
            throw error("a tensor access needs at least one index variable (as in |i|{N} -> a[i])", at: token.range)
        case .keyword(.if_):
            return try parseIfExpression()
        case .keyword(.switch_):
            return try parseSwitch()
        case .keyword(.fn), .keyword(.task):
            let isTask = advance().kind == .keyword(.task)
            try expect(.lParen, "after '\(isTask ? "task" : "fn")' in a function type")
            let parameters = try parseParameterList(named: false)
            let returnType = try parseReturnType()
            return CSLExpr(.functionType(CSLFunctionType(parameters: parameters, returnType: returnType, isTask: isTask)), range(from: start))
        case .keyword(.struct_):
            advance()
            let body = try parseStructBody(layout: .auto)
            return CSLExpr(.structType(body), range(from: start))
        case .keyword(.packed), .keyword(.extern):
            let layout: CSLContainerLayout = advance().kind == .keyword(.packed) ? .packed : .extern
            if accept(.struct_) { return CSLExpr(.structType(try parseStructBody(layout: layout)), range(from: start)) }
            if accept(.union) { return CSLExpr(.unionType(try parseStructBody(layout: layout)), range(from: start)) }
            throw expected("'struct' or 'union' after '\(layout.rawValue)'")
        case .keyword(.union):
            advance()
            return CSLExpr(.unionType(try parseStructBody(layout: .auto)), range(from: start))
        case .keyword(.enum_):
            advance()
            return CSLExpr(.enumType(try parseEnumBody()), range(from: start))
        case .endOfFile:
            throw expected("an expression")
        default:
            throw expected("an expression")
        }
    }

    /// `{ .a = x, .b = y }`, `{ a, b }` or `{}` after `.` (anonymous) or a type; the current token is `{`.
    mutating func parseInitList(type: CSLExpr?, start: Int) throws(CSLDiagnostic) -> CSLExpr {
        try expect(.lBrace, "to start the literal")
        try enter()
        defer { leave() }
        let saved = allowsInitList
        allowsInitList = true
        defer { allowsInitList = saved }
        if accept(.rBrace) { return CSLExpr(.structInit(type: type, fields: []), range(from: start)) }
        if isSymbol(.dot) && peek(1).kind == .identifier && peek(2).kind == .symbol(.assign) {
            var fields: [CSLFieldInit] = []
            repeat {
                if isSymbol(.rBrace) { break }
                let fieldStart = peek.range.start
                guard isSymbol(.dot) && peek(1).kind == .identifier else { throw expected("a field ('.name = value')") }
                advance()
                let name = advance()
                try expect(.assign, "after the field name '.\(text(name))'")
                let value = try parseExpression()
                fields.append(CSLFieldInit(name: text(name), nameRange: name.range, value: value, range: range(from: fieldStart)))
            } while accept(.comma)
            try expect(.rBrace, "to close the struct literal (or ',' between fields)")
            return CSLExpr(.structInit(type: type, fields: fields), range(from: start))
        }
        var elements: [CSLExpr] = []
        repeat {
            if isSymbol(.rBrace) { break }
            elements.append(try parseExpression())
        } while accept(.comma)
        try expect(.rBrace, "to close the list (or ',' between elements)")
        return CSLExpr(.tupleInit(type: type, elements: elements), range(from: start))
    }

    /// `|i, j|{M, N} -> A[i, j]`
    mutating func parseTensorAccess() throws(CSLDiagnostic) -> CSLExpr {
        let start = peek.range.start
        advance()
        var indices: [CSLCapture] = []
        repeat {
            let (name, range) = try expectIdentifier("an index variable in the tensor access")
            indices.append(CSLCapture(name: name, range: range))
        } while accept(.comma)
        try expect(.pipe, "after the index variables")
        try expect(.lBrace, "for the extents (as in |i|{N} -> a[i])")
        var extents: [CSLExpr] = []
        repeat {
            if isSymbol(.rBrace) { break }
            extents.append(try parseExpression())
        } while accept(.comma)
        try expect(.rBrace, "to close the extents")
        try expect(.arrow, "after the extents (as in |i|{N} -> a[i])")
        let access = try parseExpression()
        return CSLExpr(.tensorAccess(CSLTensorAccess(indices: indices, extents: extents, access: access)), range(from: start))
    }

    /// `if (c) a else b`
    mutating func parseIfExpression() throws(CSLDiagnostic) -> CSLExpr {
        let start = peek.range.start
        advance()
        try expect(.lParen, "after 'if'")
        let condition = try parseExpression()
        try expect(.rParen, "to close the if condition")
        let then = try parseExpression()
        // Without `else` the value is void when the condition is false: an empty block where `else` would be.
        let otherwise: CSLExpr
        if accept(.else_) {
            otherwise = try parseExpression()
        } else {
            let end = CSLSourceRange(then.range.end, then.range.end)
            otherwise = CSLExpr(.block(CSLBlock(statements: [], range: end)), end)
        }
        return CSLExpr(.ifExpr(condition: condition, then: then, otherwise: otherwise), range(from: start))
    }

    /// A switch case's body: an expression, or `return x`, `break`, `continue` (as a block holding that statement).
    mutating func parseProngBody() throws(CSLDiagnostic) -> CSLExpr {
        let start = peek.range.start
        let statement: CSLStmtKind
        switch peek.kind {
        case .keyword(.return_):
            advance()
            statement = .returnStmt(isSymbol(.comma) || isSymbol(.rBrace) ? nil : try parseExpression())
        case .keyword(.break_):
            advance()
            statement = .breakStmt
        case .keyword(.continue_):
            advance()
            statement = .continueStmt
        default:
            return try parseExpression()
        }
        let range = range(from: start)
        return CSLExpr(.block(CSLBlock(statements: [CSLStmt(statement, range)], range: range)), range)
    }

    /// `switch (x) { 0, 1 => a, 2...4 => b, else => { ... } }`
    mutating func parseSwitch() throws(CSLDiagnostic) -> CSLExpr {
        let start = peek.range.start
        advance()
        try expect(.lParen, "after 'switch'")
        let subject = try parseExpression()
        try expect(.rParen, "to close the switch subject")
        try expect(.lBrace, "to start the switch's cases")
        try enter()
        defer { leave() }
        var prongs: [CSLSwitchProng] = []
        while !accept(.rBrace) {
            let prongStart = peek.range.start
            var items: [CSLSwitchItem] = []
            let isElse = accept(.else_)
            if !isElse {
                repeat {
                    if isSymbol(.fatArrow) { break }
                    let low = try parseExpression()
                    if accept(.ellipsis) {
                        items.append(.range(low, try parseExpression()))
                    } else {
                        items.append(.value(low))
                    }
                } while accept(.comma)
            }
            try expect(.fatArrow, "after the case's values")
            var capture: CSLCapture?
            if accept(.pipe) {
                capture = try parseCapture()
                try expect(.pipe, "after the captured name")
            }
            let body = try parseProngBody()
            prongs.append(CSLSwitchProng(items: items, isElse: isElse, capture: capture, body: body, range: range(from: prongStart)))
            if !accept(.comma) {
                // A block body may end a case without a comma; otherwise the next token closes the switch.
                if case .block = body.kind { continue }
                guard isSymbol(.rBrace) else { throw expected("',' or '}' after the switch case") }
            }
        }
        return CSLExpr(.switchExpr(CSLSwitch(subject: subject, prongs: prongs)), range(from: start))
    }
}
