extension CSLParserState {
    /// `{ statements }`
    mutating func parseBlock() throws(CSLDiagnostic) -> CSLBlock {
        let start = peek.range.start
        try expect(.lBrace, "to start a block")
        try enter()
        defer { leave() }
        var statements: [CSLStmt] = []
        while !accept(.rBrace) {
            if peek.kind == .endOfFile { throw error("expected '}' to close the block, found the end of the file", at: peek.range) }
            if accept(.semicolon) { continue }
            let statementStart = position
            do {
                statements.append(try parseStatement())
            } catch {
                // Report it, skip the statement and go on with the block's next one; unless the statement runs to
                // the end of the file or into the next top-level declaration (an unclosed bracket): then the
                // file's recovery takes it from the declaration this block is in.
                let errorPosition = position
                guard peek.kind != .endOfFile, let end = statementEnd(from: statementStart) else {
                    position = errorPosition
                    throw error
                }
                report(error)
                position = end
            }
        }
        return CSLBlock(statements: statements, range: range(from: start))
    }

    /// Where a statement that failed ends: after a `;` at bracket depth 0, after a `}` that closes a bracket the
    /// statement opened (it was a block or a loop; not before an `else`), or at the `}` that closes the enclosing
    /// block (left for it).
    /// Nil when the end of the file or a declaration keyword at the start of a line comes first.
    func statementEnd(from start: Int) -> Int? {
        var i = start
        var brackets = 0
        while tokens[i].kind != .endOfFile {
            let token = tokens[i]
            if i > start && startsDeclaration(token) && isAtLineStart(token) { return nil }
            switch token.kind {
            case .symbol(.lParen), .symbol(.lBracket), .symbol(.lBrace):
                brackets += 1
            case .symbol(.rParen), .symbol(.rBracket):
                brackets = max(0, brackets - 1)
            case .symbol(.rBrace):
                if brackets == 0 { return i }
                brackets -= 1
                if brackets == 0 {
                    // `} else ...` goes on with the same if statement.
                    if tokens[i + 1].kind == .keyword(.else_) { break }
                    return tokens[i + 1].kind == .symbol(.semicolon) ? i + 2 : i + 1
                }
            case .symbol(.semicolon) where brackets == 0:
                return i + 1
            default:
                break
            }
            i += 1
        }
        return nil
    }

    mutating func parseStatement() throws(CSLDiagnostic) -> CSLStmt {
        try enter()
        defer { leave() }
        let start = peek.range.start
        switch peek.kind {
        case .keyword(.const_), .keyword(.var_), .keyword(.export), .keyword(.extern), .keyword(.param), .keyword(.fn), .keyword(.task):
            let declaration = try parseDeclaration(context: "a block")
            return CSLStmt(.declaration(declaration), range(from: start))
        case .keyword(.comptime):
            if peek(1).kind == .symbol(.lBrace) || peek(1).kind == .keyword(.const_) || peek(1).kind == .keyword(.var_) {
                let declaration = try parseDeclaration(context: "a block")
                return CSLStmt(.declaration(declaration), range(from: start))
            }
        case .symbol(.lBrace):
            let block = try parseBlock()
            return CSLStmt(.block(block), range(from: start))
        case .keyword(.if_):
            var (statement, needsSemicolon) = try parseIfStatement()
            if needsSemicolon {
                try expect(.semicolon, "after the if statement")
                statement.range = range(from: start)
            }
            return statement
        case .keyword(.while_):
            return try parseWhile(isInline: false)
        case .keyword(.for_):
            return try parseFor(isInline: false)
        case .keyword(.inline) where peek(1).kind == .keyword(.for_):
            advance()
            return try parseFor(isInline: true)
        case .keyword(.inline) where peek(1).kind == .keyword(.while_):
            advance()
            return try parseWhile(isInline: true)
        case .keyword(.return_):
            advance()
            var value: CSLExpr?
            if !isSymbol(.semicolon) { value = try parseExpression() }
            try expect(.semicolon, "after the return statement")
            return CSLStmt(.returnStmt(value), range(from: start))
        case .keyword(.break_):
            advance()
            try expect(.semicolon, "after 'break'")
            return CSLStmt(.breakStmt, range(from: start))
        case .keyword(.continue_):
            advance()
            try expect(.semicolon, "after 'continue'")
            return CSLStmt(.continueStmt, range(from: start))
        case .keyword(.switch_):
            let value = try parseExpression()
            _ = accept(.semicolon)
            return CSLStmt(.expression(value), range(from: start))
        default:
            break
        }
        var statement = try parseSimpleStatement()
        try expect(.semicolon, statement.kind.isAssignment ? "after the assignment" : "after the expression")
        statement.range = range(from: start)
        return statement
    }

    /// An assignment (`x += 1`) or an expression, without the `;` (also the `: (i += 1)` of a while loop).
    mutating func parseSimpleStatement() throws(CSLDiagnostic) -> CSLStmt {
        let start = peek.range.start
        let target = try parseExpression()
        if case .symbol(let symbol) = peek.kind, let op = assignOperator(symbol) {
            advance()
            let value = try parseExpression()
            return CSLStmt(.assignment(CSLAssignment(target: target, op: op, value: value)), range(from: start))
        }
        return CSLStmt(.expression(target), range(from: start))
    }

    /// A loop's or an if's body: a block, or one simple statement (whose `;` the caller expects, after any `else`).
    mutating func parseBody() throws(CSLDiagnostic) -> (CSLStmt, needsSemicolon: Bool) {
        if isSymbol(.lBrace) {
            let start = peek.range.start
            let block = try parseBlock()
            return (CSLStmt(.block(block), range(from: start)), false)
        }
        if isKeyword(.if_) {
            try enter()
            defer { leave() }
            return try parseIfStatement()
        }
        switch peek.kind {
        case .keyword(.return_), .keyword(.break_), .keyword(.continue_), .keyword(.while_), .keyword(.for_):
            return (try parseStatement(), false)
        default:
            return (try parseSimpleStatement(), true)
        }
    }

    /// `if (c) body else if (d) body else body`; says whether a `;` must follow (a body that is not a block).
    mutating func parseIfStatement() throws(CSLDiagnostic) -> (CSLStmt, needsSemicolon: Bool) {
        let start = peek.range.start
        advance()
        try expect(.lParen, "after 'if'")
        let condition = try parseExpression()
        try expect(.rParen, "to close the if condition")
        var (then, needsSemicolon) = try parseBody()
        var otherwise: CSLStmt?
        if accept(.else_) {
            let (body, semicolon) = try parseBody()
            otherwise = body
            needsSemicolon = semicolon
        }
        return (CSLStmt(.ifStmt(CSLIfStmt(condition: condition, then: then, otherwise: otherwise)), range(from: start)), needsSemicolon)
    }

    /// `while (c) : (i += 1) body`
    mutating func parseWhile(isInline: Bool) throws(CSLDiagnostic) -> CSLStmt {
        let start = peek.range.start
        advance()
        try expect(.lParen, "after 'while'")
        let condition = try parseExpression()
        try expect(.rParen, "to close the while condition")
        var continueStatement: CSLStmt?
        if accept(.colon) {
            try expect(.lParen, "after ':' (as in 'while (i < n) : (i += 1)')")
            continueStatement = try parseSimpleStatement()
            try expect(.rParen, "to close the continue expression")
        }
        let (body, needsSemicolon) = try parseBody()
        if needsSemicolon { try expect(.semicolon, "after the loop body") }
        return CSLStmt(.whileStmt(CSLWhileStmt(condition: condition, continueStatement: continueStatement, body: body, isInline: isInline)), range(from: start))
    }

    /// `for (iterable) |element, index| body`
    mutating func parseFor(isInline: Bool) throws(CSLDiagnostic) -> CSLStmt {
        let start = peek.range.start
        advance()
        try expect(.lParen, "after 'for'")
        let iterable = try parseExpression()
        try expect(.rParen, "to close the for loop's range")
        try expect(.pipe, "to name the loop variable (as in 'for (@range(i16, n)) |i|')")
        let element = try parseCapture()
        var index: CSLCapture?
        if accept(.comma) { index = try parseCapture() }
        try expect(.pipe, "after the loop variable")
        let (body, needsSemicolon) = try parseBody()
        if needsSemicolon { try expect(.semicolon, "after the loop body") }
        return CSLStmt(.forStmt(CSLForStmt(iterable: iterable, element: element, index: index, body: body, isInline: isInline)), range(from: start))
    }

    /// A name between `|`s; `*x` (capture by pointer) keeps the name.
    mutating func parseCapture() throws(CSLDiagnostic) -> CSLCapture {
        _ = accept(.star)
        let (name, range) = try expectIdentifier("a name")
        return CSLCapture(name: name, range: range)
    }

    func assignOperator(_ symbol: CSLSymbol) -> CSLAssignOperator? {
        switch symbol {
        case .assign: .assign
        case .plusAssign: .add
        case .minusAssign: .subtract
        case .starAssign: .multiply
        case .slashAssign: .divide
        case .percentAssign: .remainder
        case .shiftLeftAssign: .shiftLeft
        case .shiftRightAssign: .shiftRight
        case .ampersandAssign: .bitAnd
        case .pipeAssign: .bitOr
        case .caretAssign: .bitXor
        case .plusPercentAssign: .wrappingAdd
        case .minusPercentAssign: .wrappingSubtract
        case .starPercentAssign: .wrappingMultiply
        default: nil
        }
    }
}

extension CSLStmtKind {
    var isAssignment: Bool {
        if case .assignment = self { return true }
        return false
    }
}
