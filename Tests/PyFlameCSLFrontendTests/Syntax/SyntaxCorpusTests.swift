import PyFlameCSLFrontend
import Testing

/// The corpus (Tests/PyFlameCSLFrontendTests/Corpus, CSL written for these tests) parses with no error, and key
/// constructs parse into the tree they mean.
@Suite struct SyntaxCorpusTests {
    @Test func everyCorpusFileParsesWithoutADiagnostic() throws {
        let names = try corpusFileNames()
        #expect(names.count >= 4)
        for name in names {
            let file = try corpusFile(name)
            let (tree, diagnostics) = CSLParser.parse(file)
            #expect(diagnostics.isEmpty, "\(name): \(diagnostics.map { $0.rendered(in: file) })")
            if name != "idle.csl" { #expect(!tree.declarations.isEmpty, "\(name)") }
        }
    }

    @Test func theLayoutFilesDeclarationsAndBlocks() throws {
        let (tree, _) = CSLParser.parse(try corpusFile("ring_layout.csl"))
        guard case .param(let width) = tree.declaration("width")?.kind else { throw Failure("no param width") }
        #expect(width.type.map(SyntaxDump.expr) == "i16")
        #expect(width.defaultValue.map(SyntaxDump.expr) == "4")
        guard case .param(let chunk) = tree.declaration("chunk")?.kind else { throw Failure("no param chunk") }
        #expect(chunk.defaultValue == nil)
        #expect(tree.value(of: "backward").map(SyntaxDump.expr) == "(@get_color 4)")
        #expect(
            tree.value(of: "io").map(SyntaxDump.expr) == #"(@import_module "<memcpy/get_params>" (struct .width=width .height=2))"#)
        guard case .layoutBlock(let layout) = tree.declarations.last?.kind else { throw Failure("no layout block") }
        // @set_rectangle, @comptime_assert, const shared, two for loops, two @export_name.
        #expect(layout.statements.count == 7)
        guard case .expression(let assert) = layout.statements[1].kind else { throw Failure("no assert") }
        #expect(SyntaxDump.expr(assert) == "(@comptime_assert (and (>= width 2) (== (% chunk 2) 0)))")
        guard case .forStmt(let loop) = layout.statements[3].kind, case .block(let body) = loop.body.kind else {
            throw Failure("no for loop")
        }
        #expect(SyntaxDump.expr(loop.iterable) == "(@range i16 width)")
        #expect(loop.element.name == "x" && loop.index == nil)
        // if / else if / else over @set_color_config with tuples of directions.
        guard case .ifStmt(let first) = body.statements[4].kind, case .ifStmt(let elseIf)? = first.otherwise?.kind,
            case .block(let last)? = elseIf.otherwise?.kind, case .expression(let config) = last.statements[0].kind
        else { throw Failure("no if / else if / else") }
        #expect(SyntaxDump.expr(first.condition) == "is_first")
        #expect(SyntaxDump.expr(config) == "(@set_color_config x 0 forward (struct .routes=(struct .rx=(tuple WEST) .tx=(tuple RAMP EAST))))")
        guard case .forStmt(let stepped) = layout.statements[4].kind else { throw Failure("no second loop") }
        #expect(SyntaxDump.expr(stepped.iterable) == "(@range i16 1 width 2)")
        guard case .expression(let export) = layout.statements[6].kind else { throw Failure("no export") }
        #expect(SyntaxDump.expr(export) == #"(@export_name "start" (fn [] void))"#)
    }

    @Test func dsdsArraysAndPointersOfThePEProgram() throws {
        let file = try corpusFile("ring_pe.csl")
        let (tree, _) = CSLParser.parse(file)
        #expect(tree.value(of: "totals_dsd").map(SyntaxDump.expr) == "(@get_dsd mem1d_dsd (struct .tensor_access=(access |i| [chunk] (index totals [i]))))")
        #expect(
            tree.value(of: "tile_dsd").map(SyntaxDump.expr)
                == "(@get_dsd mem4d_dsd (struct .tensor_access=(access |r,c| [4 chunk] (index tile [r c]))))")
        #expect(
            tree.value(of: "every_other").map(SyntaxDump.expr)
                == "(@get_dsd mem1d_dsd (struct .tensor_access=(access |k| [(/ chunk 2)] (index totals [(+ (* 2 k) 1)]))))")
        guard case .variable(let tile) = tree.declaration("tile")?.kind else { throw Failure("no tile") }
        #expect(tile.type.map(SyntaxDump.expr) == "(array [4 chunk] f32)")
        #expect(tile.alignment.map(SyntaxDump.expr) == "16")
        #expect(tile.value.map(SyntaxDump.expr) == "(@zeros (array [4 chunk] f32))")
        #expect(tree.value(of: "weights").map(SyntaxDump.expr) == "(tuple (array [_] u16) 1 2 3 4000)")
        #expect(tree.value(of: "table").map(SyntaxDump.expr) == "(tuple (array [3] i16) (- 1) 0 1)")
        guard case .variable(let pointer) = tree.declaration("totals_ptr")?.kind else { throw Failure("no totals_ptr") }
        #expect(pointer.type.map(SyntaxDump.expr) == "([*]f32)")
        #expect(pointer.value.map(SyntaxDump.expr) == "(& totals)")
        #expect(
            tree.value(of: "recv_task").map(SyntaxDump.expr)
                == #"(if (@is_arch "wse2") (@get_data_task_id forward) (if (@is_arch "wse3") (@get_data_task_id (@get_input_queue 2)) (block 0)))"#)
        // The declaration's range covers `const ... ;` exactly.
        let range = try #require(tree.declaration("done_id")?.range)
        #expect(file.slice(range) == "const done_id: local_task_id = @get_local_task_id(9);")
    }

    @Test func aWhileLoopWithAContinueStatementAndADereference() throws {
        let (tree, _) = CSLParser.parse(try corpusFile("ring_pe.csl"))
        guard case .function(let addRows) = tree.declaration("add_rows")?.kind, let body = addRows.body else { throw Failure("no add_rows") }
        #expect(addRows.parameters.map(\.isComptime) == [true, false])
        #expect(addRows.parameters.map { SyntaxDump.expr($0.type) } == ["u16", "(*f32)"])
        #expect(SyntaxDump.expr(addRows.returnType) == "void")
        guard case .whileStmt(let loop) = body.statements[1].kind, case .assignment(let step)? = loop.continueStatement?.kind,
            case .block(let loopBody) = loop.body.kind, case .assignment(let accumulate) = loopBody.statements[0].kind
        else { throw Failure("no while loop") }
        #expect(SyntaxDump.expr(loop.condition) == "(< r rows)")
        #expect(step.op == .add && SyntaxDump.expr(step.target) == "r" && SyntaxDump.expr(step.value) == "1")
        #expect(accumulate.op == .add && SyntaxDump.expr(accumulate.target) == "(.* ptr)")
        guard case .ifStmt(let skip) = loopBody.statements[1].kind else { throw Failure("no if") }
        #expect(skip.then.kind == .continueStmt)
        guard case .task(let done) = tree.declaration("done")?.kind, let doneBody = done.body,
            case .forStmt(let overArray) = doneBody.statements[2].kind
        else { throw Failure("no task done") }
        #expect(overArray.element.name == "w" && overArray.index?.name == "j")
        guard case .task(let recv) = tree.declaration("recv")?.kind else { throw Failure("no task recv") }
        #expect(recv.parameters.map { $0.name } == ["value"])
    }

    @Test func typesLiteralsAndOperators() throws {
        let (tree, _) = CSLParser.parse(try corpusFile("kinds.csl"))
        #expect(tree.value(of: "Mode").map(SyntaxDump.expr) == "(enum(u16) idle,send,receive)")
        #expect(tree.value(of: "Header").map(SyntaxDump.expr) == "(packed struct kind,flag,length)")
        #expect(tree.value(of: "Either").map(SyntaxDump.expr) == "(union word,half)")
        #expect(tree.value(of: "Callback").map(SyntaxDump.expr) == "(fn [i16 f32] void)")
        guard case .param(let onDone) = tree.declaration("on_done")?.kind else { throw Failure("no on_done") }
        #expect(onDone.type.map(SyntaxDump.expr) == "(task [] void)")
        guard case .param(let maybe) = tree.declaration("maybe")?.kind else { throw Failure("no maybe") }
        #expect(maybe.type.map(SyntaxDump.expr) == "(? u16)")
        guard case .variable(let many) = tree.declaration("many")?.kind, case .variable(let double) = tree.declaration("double")?.kind,
            case .variable(let shared) = tree.declaration("shared_word")?.kind, case .variable(let exported) = tree.declaration("exported")?.kind
        else { throw Failure("no pointers") }
        #expect(many.type.map(SyntaxDump.expr) == "([*]const volatile u16)")
        #expect(double.type.map(SyntaxDump.expr) == "(*(*u16))")
        #expect(shared.modifiers.isExtern && shared.value == nil)
        #expect(exported.modifiers.isExport && !exported.isConst)
        guard case .function(let hook) = tree.declaration("host_hook")?.kind else { throw Failure("no host_hook") }
        #expect(hook.modifiers.isExtern && hook.body == nil)
        #expect(tree.value(of: "letters").map(SyntaxDump.expr) == "\"a\tb\n\"q\" AB\"")
        #expect(tree.value(of: "letter") == CSLExpr(.character(122), tree.value(of: "letter")!.range))
        #expect(tree.value(of: "big").map(SyntaxDump.expr) == "4294967295")
        #expect(tree.value(of: "octal").map(SyntaxDump.expr) == "511")
        #expect(tree.value(of: "exponent").map(SyntaxDump.expr) == "2000.0")
        guard case .function(let operators) = tree.declaration("operators")?.kind, let body = operators.body,
            case .declaration(let first) = body.statements[0].kind, case .variable(let x) = first.kind
        else { throw Failure("no operators") }
        // Zig's precedence: shifts bind tighter than the bitwise operators, which share one level (left to right).
        #expect(x.value.map(SyntaxDump.expr) == "(^ (& (| (<< a 2) (>> b 1)) (~ a)) 3)")
        let compound = body.statements[1...10].compactMap { statement -> CSLAssignOperator? in
            if case .assignment(let a) = statement.kind { return a.op }
            return nil
        }
        #expect(compound == [.wrappingAdd, .wrappingSubtract, .multiply, .divide, .remainder, .shiftLeft, .shiftRight, .bitOr, .bitAnd, .bitXor])
        guard case .declaration(let cmpDecl) = body.statements[13].kind, case .variable(let cmp) = cmpDecl.kind else { throw Failure("no cmp") }
        #expect(cmp.value.map(SyntaxDump.expr) == "(or (or (or (!= a b) (and (<= a b) (! (>= a b)))) (< a b)) (> a b))")
        guard case .expression(let switchStatement) = body.statements[16].kind, case .switchExpr(let s) = switchStatement.kind else {
            throw Failure("no switch statement")
        }
        #expect(s.prongs.count == 3)
        #expect(s.prongs[0].items.count == 1)
        if case .range(let low, let high) = s.prongs[0].items[0] {
            #expect(SyntaxDump.expr(low) == "0" && SyntaxDump.expr(high) == "3")
        } else {
            Issue.record("0...3 is not a range item")
        }
        #expect(s.prongs[2].isElse)
        let loops = body.statements.compactMap { statement -> String? in
            switch statement.kind {
            case .whileStmt(let w): return "while\(w.isInline ? " inline" : "")\(w.continueStatement == nil ? "" : " :()")"
            case .forStmt(let f): return "for\(f.isInline ? " inline" : "")"
            default: return nil
            }
        }
        #expect(loops == ["for inline", "while", "while inline :()"])
        guard case .block(let returning) = s.prongs[2].body.kind else { throw Failure("else => return is not a block") }
        guard case .returnStmt(let returned?) = returning.statements[0].kind else { throw Failure("no return") }
        #expect(SyntaxDump.expr(returned) == "picked")
    }
}

struct Failure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
