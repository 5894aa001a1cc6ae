extension CSLParserState {
    /// A declaration at the top level of a file, inside a container (`struct { }`), or in a block.
    mutating func parseDeclaration(context: String) throws(CSLDiagnostic) -> CSLDecl {
        let start = peek.range.start
        var modifiers = CSLDeclModifiers()
        modifierLoop: while case .keyword(let k) = peek.kind {
            switch k {
            case .export: modifiers.isExport = true
            case .extern: modifiers.isExtern = true
            case .pub: modifiers.isPublic = true
            case .inline: modifiers.isInline = true
            case .noinline: break
            case .comptime where peek(1).kind != .symbol(.lBrace): modifiers.isComptime = true
            default: break modifierLoop
            }
            advance()
        }
        switch peek.kind {
        case .keyword(.const_), .keyword(.var_):
            let variable = try parseVariable(modifiers: modifiers)
            return CSLDecl(.variable(variable), range(from: start))
        case .keyword(.param):
            let param = try parseParam()
            return CSLDecl(.param(param), range(from: start))
        case .keyword(.fn):
            let function = try parseFunction(modifiers: modifiers, keyword: "fn")
            return CSLDecl(.function(function), range(from: start))
        case .keyword(.task):
            let task = try parseFunction(modifiers: modifiers, keyword: "task")
            return CSLDecl(.task(task), range(from: start))
        case .keyword(.comptime):
            advance()
            let block = try parseBlock()
            return CSLDecl(.comptimeBlock(block), range(from: start))
        case .keyword(.layout):
            advance()
            let block = try parseBlock()
            return CSLDecl(.layoutBlock(block), range(from: start))
        case .keyword(.usingnamespace):
            advance()
            let value = try parseExpression()
            try expect(.semicolon, "after usingnamespace")
            return CSLDecl(.usingNamespace(value), range(from: start))
        default:
            throw expected("a declaration (const, var, param, fn, task, comptime or layout) in \(context)")
        }
    }

    /// `const name: T align(N) = value;` (the keyword is the current token).
    mutating func parseVariable(modifiers: CSLDeclModifiers) throws(CSLDiagnostic) -> CSLVariableDecl {
        let isConst = advance().kind == .keyword(.const_)
        let (name, nameRange) = try expectIdentifier("a name after '\(isConst ? "const" : "var")'")
        var type: CSLExpr?
        var alignment: CSLExpr?
        var value: CSLExpr?
        if accept(.colon) { type = try parseTypeExpression() }
        if isKeyword(.align) { alignment = try parseAlign() }
        if accept(.assign) {
            value = try parseExpression()
        } else if !modifiers.isExtern {
            if type == nil { throw expected("':' and a type, or '=' and a value, after '\(name)'") }
            if !isSymbol(.semicolon) { throw expected("'=' or ';' after the type of '\(name)'") }
        }
        try expect(.semicolon, "after the declaration of '\(name)'")
        return CSLVariableDecl(
            isConst: isConst, name: name, nameRange: nameRange, type: type, alignment: alignment, value: value, modifiers: modifiers)
    }

    /// `align(N)`
    mutating func parseAlign() throws(CSLDiagnostic) -> CSLExpr {
        advance()
        try expect(.lParen, "after 'align'")
        let value = try parseExpression()
        try expect(.rParen, "to close 'align('")
        return value
    }

    /// `param name: T = default;`
    mutating func parseParam() throws(CSLDiagnostic) -> CSLParamDecl {
        advance()
        let (name, nameRange) = try expectIdentifier("a name after 'param'")
        var type: CSLExpr?
        var defaultValue: CSLExpr?
        if accept(.colon) { type = try parseTypeExpression() }
        if accept(.assign) { defaultValue = try parseExpression() }
        if type == nil && defaultValue == nil && !isSymbol(.semicolon) { throw expected("':' and a type after 'param \(name)'") }
        try expect(.semicolon, "after the param '\(name)'")
        return CSLParamDecl(name: name, nameRange: nameRange, type: type, defaultValue: defaultValue)
    }

    /// `fn name(parameters) ReturnType { body }`, `extern fn name() void;`, `task name() void { body }`.
    mutating func parseFunction(modifiers: CSLDeclModifiers, keyword: String) throws(CSLDiagnostic) -> CSLFunctionDecl {
        advance()
        let (name, nameRange) = try expectIdentifier("a name after '\(keyword)'")
        try expect(.lParen, "after the name of \(keyword) '\(name)'")
        let parameters = try parseParameterList(named: true)
        if isSymbol(.lBrace) { throw expected("a return type (such as 'void') after the parameters of '\(name)'") }
        let returnType = try parseReturnType()
        if accept(.semicolon) {
            return CSLFunctionDecl(name: name, nameRange: nameRange, parameters: parameters, returnType: returnType, body: nil, modifiers: modifiers)
        }
        guard isSymbol(.lBrace) else { throw expected("'{' to start the body of '\(name)'") }
        let body = try parseBlock()
        return CSLFunctionDecl(name: name, nameRange: nameRange, parameters: parameters, returnType: returnType, body: body, modifiers: modifiers)
    }

    /// A return type: a type expression where `{` starts the body, not a literal.
    mutating func parseReturnType() throws(CSLDiagnostic) -> CSLExpr {
        let saved = allowsInitList
        allowsInitList = false
        defer { allowsInitList = saved }
        return try parseTypeExpression()
    }

    /// The parameters after `(` up to and including `)`: `comptime T: type, x: T` (named) or `i16, f32` (a
    /// function type's; names are optional there).
    mutating func parseParameterList(named: Bool) throws(CSLDiagnostic) -> [CSLFunctionParameter] {
        var parameters: [CSLFunctionParameter] = []
        while !isSymbol(.rParen) {
            let start = peek.range.start
            let isComptime = accept(.comptime)
            var name: String?
            var nameRange: CSLSourceRange?
            if peek.kind == .identifier && peek(1).kind == .symbol(.colon) {
                let token = advance()
                name = text(token)
                nameRange = token.range
                advance()
            } else if named {
                throw expected("a parameter name")
            }
            let type = try parseTypeExpression()
            parameters.append(CSLFunctionParameter(name: name, nameRange: nameRange, type: type, isComptime: isComptime, range: range(from: start)))
            if !accept(.comma) {
                guard isSymbol(.rParen) else { throw expected("',' or ')' in the parameter list") }
            }
        }
        advance()
        return parameters
    }

    /// `struct { ... }` body after the keyword(s): fields `name: T = default,` and declarations.
    mutating func parseStructBody(layout: CSLContainerLayout) throws(CSLDiagnostic) -> CSLStructType {
        try expect(.lBrace, "to start the struct's fields")
        var fields: [CSLContainerField] = []
        var declarations: [CSLDecl] = []
        while !accept(.rBrace) {
            if peek.kind == .identifier {
                let start = peek.range.start
                let (name, nameRange) = try expectIdentifier("a field name")
                try expect(.colon, "after the field name '\(name)'")
                let type = try parseTypeExpression()
                var alignment: CSLExpr?
                var defaultValue: CSLExpr?
                if isKeyword(.align) { alignment = try parseAlign() }
                if accept(.assign) { defaultValue = try parseExpression() }
                fields.append(
                    CSLContainerField(name: name, nameRange: nameRange, type: type, alignment: alignment, defaultValue: defaultValue, range: range(from: start))
                )
                if !accept(.comma) {
                    guard isSymbol(.rBrace) else { throw expected("',' or '}' after the field '\(name)'") }
                }
            } else if isSymbol(.semicolon) {
                advance()
            } else {
                try enter()
                defer { leave() }
                declarations.append(try parseDeclaration(context: "a struct"))
            }
        }
        return CSLStructType(layout: layout, fields: fields, declarations: declarations)
    }

    /// `enum(u16) { A, B = 2, }` after the keyword.
    mutating func parseEnumBody() throws(CSLDiagnostic) -> CSLEnumType {
        var tagType: CSLExpr?
        if accept(.lParen) {
            tagType = try parseTypeExpression()
            try expect(.rParen, "after the enum's tag type")
        }
        try expect(.lBrace, "to start the enum's members")
        var members: [CSLEnumMember] = []
        var declarations: [CSLDecl] = []
        while !accept(.rBrace) {
            if peek.kind == .identifier {
                let start = peek.range.start
                let (name, _) = try expectIdentifier("a member name")
                var value: CSLExpr?
                if accept(.assign) { value = try parseExpression() }
                members.append(CSLEnumMember(name: name, value: value, range: range(from: start)))
                if !accept(.comma) {
                    guard isSymbol(.rBrace) else { throw expected("',' or '}' after the enum member '\(name)'") }
                }
            } else if isSymbol(.semicolon) {
                advance()
            } else {
                try enter()
                defer { leave() }
                declarations.append(try parseDeclaration(context: "an enum"))
            }
        }
        return CSLEnumType(tagType: tagType, members: members, declarations: declarations)
    }
}
