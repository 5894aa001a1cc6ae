import PyFlameIR
import PyFlameViews
@testable import PyFlameShell
import Testing

@Suite struct StatementTests {
    @Test func anAssignmentPrintsItsValueWithTypeAndLayout() {
        let shell = Shell()
        #expect(run(shell, "a = arange(1024)").text == "a = tensor<1024xf32> host [0, 1, 2, ..., 1021, 1022, 1023]")
        #expect(
            run(shell, "b = ones(1024)", "c = a + b on RowPartition(4)").text
                == "c = tensor<1024xf32> RowPartition(4) [1, 2, 3, ..., 1022, 1023, 1024]")
        #expect(run(shell, "c").text == "c = tensor<1024xf32> RowPartition(4) [1, 2, 3, ..., 1022, 1023, 1024]")
        #expect(run(shell, "c * 0 + 1").text == "tensor<1024xf32> RowPartition(4) [1, 1, 1, ..., 1, 1, 1]")
    }

    @Test func theLayoutClauseAppliesToEveryIntermediate() {
        let shell = Shell()
        run(shell, "a = arange(1024)", "b = relu(a - 512) * 2 on RowPartition(4)")
        let lines = GraphPrinter.lines(shell.session.graph)
        #expect(
            lines == [
                "%0 (a) = arange(1024) : tensor<1024xf32> layout=host",
                "%1 = sub(%0, 512) : tensor<1024xf32> layout=RowPartition(4)",
                "%2 = relu(%1) : tensor<1024xf32> layout=RowPartition(4)",
                "%3 (b) = mul(%2, 2) : tensor<1024xf32> layout=RowPartition(4)",
            ])
    }

    @Test func anOperandOnAnotherFabricLayoutMovesThroughALayoutTransform() {
        let shell = Shell()
        run(shell, "a = arange(64)", "b = a * 2 on RowPartition(4)")
        #expect(!run(shell, "c = b + 1 on ColPartition(4)").failed)
        let lines = GraphPrinter.lines(shell.session.graph)
        #expect(lines.contains("%2 = layout_transform(%1) : tensor<64xf32> layout=ColPartition(4)"))
        #expect(lines.contains("%3 (c) = add(%2, 1) : tensor<64xf32> layout=ColPartition(4)"))
        // auto keeps the operand's layout: no transform.
        run(shell, "d = b - 1")
        #expect(GraphPrinter.lines(shell.session.graph).last == "%4 (d) = sub(%1, 1) : tensor<64xf32> layout=RowPartition(4)")
    }

    @Test func reductionsShowWhereTheirResultLives() {
        let shell = Shell()
        let result = run(shell, "x = ones([32, 32])", "s = sum(x, dim=0) on Grid(4, 4)")
        #expect(result.text == "s = tensor<32xf32> ColPartition(4) [32, 32, 32, ..., 32, 32, 32]")
        #expect(GraphPrinter.lines(shell.session.graph).last == "%1 (s) = sum(%0, dim=0) : tensor<32xf32> layout=Grid(4, 4) result=ColPartition(4)")
        #expect(run(shell, "t = mean(x, dim=1, keepdim=true) on Grid(2, 4)").text == "t = tensor<32x1xf32> RowPartition(2) [[1], [1], [1], ..., [1], [1], [1]]")
    }

    @Test func autoPicksTheFewestPEsThatHoldTheOp() {
        let shell = Shell()
        run(shell, "m = randn([128, 128], seed=1)")
        // m * 2 holds two 64 KiB buffers: 128 KiB over 36 KiB PEs needs at least 4, and Grid(2, 2) holds it.
        #expect(run(shell, "n = m * 2").text.hasPrefix("n = tensor<128x128xf32> Grid(2, 2) "))
        // m + n holds three: 192 KiB, at least 6 PEs, squarest first: Grid(3, 2).
        #expect(run(shell, "p = m + n").text.hasPrefix("p = tensor<128x128xf32> Grid(3, 2) "))
    }

    @Test func rebindingANameKeepsTheOldNodeOnlyIfItIsUsed() {
        let shell = Shell()
        run(shell, "a = ones(4)", "a = zeros(4)")
        #expect(GraphPrinter.lines(shell.session.graph) == ["%1 (a) = zeros([4]) : tensor<4xf32> layout=host"])
        run(shell, "b = a + 1", "a = full(4, 3)")
        let lines = GraphPrinter.lines(shell.session.graph)
        #expect(lines.contains("%1 = zeros([4]) : tensor<4xf32> layout=host"))
        #expect(lines.contains("%3 (a) = full([4], 3) : tensor<4xf32> layout=host"))
    }

    @Test func integersFollowTheDtypeRules() {
        let shell = Shell()
        run(shell, "i = tensor([7, -7, 9], dtype=i32)")
        #expect(run(shell, "i / 2").text == "tensor<3xi32> SinglePE [3, -3, 4]")
        #expect(run(shell, "i * 2").text == "tensor<3xi32> SinglePE [14, -14, 18]")
        let bad = run(shell, "i * 2.5")
        #expect(bad.failed)
        #expect(bad.lines[0].text == "error: the scalar 2.5 is not exact in i32 (no promotion: make the tensor with dtype=f32)")
        #expect(bad.lines[2].text == "      ^~~")
        #expect(run(shell, "exp(i)").lines[0].text == "error: exp needs a floating-point tensor, got tensor<3xi32> (make it with dtype=f32)")
        #expect(run(shell, "i / (i * 0)").lines[0].text == "error: div: integer division by zero")
    }

    @Test func dtypesThatCannotLiveOnAPEAreRefused() {
        let shell = Shell()
        let r = run(shell, "x = zeros(4, dtype=f64)")
        #expect(
            r.lines[0].text
                == "error: dtype f64 cannot be used: a PE's memcpy, exports and DSD operations handle only 16- and 32-bit types (f32, f16, bf16, i32, i16)")
        #expect(r.lines[2].text == "                     ^~~")
        #expect(run(shell, "x = zeros(4, dtype=float16)").text == "x = tensor<4xf16> host [0, 0, 0, 0]")
    }

    @Test func shapeErrorsUsePyFlamesWording() {
        let shell = Shell()
        run(shell, "a = ones([4, 3])", "b = ones([4, 5])", "h = ones([4, 3], dtype=f16)")
        #expect(run(shell, "a + b").lines[0].text == "error: Shapes are not broadcastable: dimension 3 vs 5 (shapes [4, 3] and [4, 5])")
        #expect(run(shell, "a @ a").lines[0].text == "error: matmul: shapes not aligned: 3 vs 4")
        #expect(run(shell, "sum(a, dim=2)").lines[0].text == "error: Reduction dimension out of range: dim=2 of a 2-D tensor (dims are -2 to 1)")
        #expect(run(shell, "a + h").lines[0].text == "error: add: dtypes differ: f32 vs f16 (no promotion: make both operands one dtype)")
        #expect(run(shell, "reshape(a, [5, -1])").lines[0].text == "error: reshape: cannot reshape tensor of 12 elements into shape [5, -1]")
        #expect(run(shell, "a @ transpose(a)").text.hasPrefix("tensor<4x4xf32> SinglePE [[3, 3, 3, 3]"))
    }

    @Test func nameErrorsPointAtTheNameAndSuggest() {
        let shell = Shell()
        run(shell, "alpha = ones(2)")
        let r = run(shell, "y = alpah + 1")
        #expect(r.lines.map(\.text) == ["error: unknown name 'alpah' (did you mean 'alpha'?)", "  y = alpah + 1", "      ^~~~~"])
        #expect(run(shell, "y = rleu(alpha)").lines[0].text == "error: unknown function 'rleu' (did you mean relu?)")
        #expect(run(shell, "y = sum(alpha, dims=0)").lines[0].text == "error: sum() got an unexpected keyword argument 'dims'")
    }

    @Test func aFailedStatementChangesNothing() {
        let shell = Shell()
        run(shell, "a = ones(8)")
        let before = GraphPrinter.lines(shell.session.graph)
        #expect(run(shell, "a = relu(a) + nothere").failed)
        #expect(run(shell, "b = a + 1 on Grid(2, 2)").failed)
        #expect(GraphPrinter.lines(shell.session.graph) == before)
        #expect(shell.session.names == ["a"])
        #expect(shell.session.log == ["a = ones(8)"])
    }

    @Test func hostLimitIsCheckedBeforeAllocating() {
        let shell = Shell()
        let r = run(shell, "x = zeros([100000, 100000])")
        #expect(r.lines[0].text == "error: shape 100000x100000 has 10000000000 elements, over the host limit of 268435456 (set host_limit)")
        run(shell, "set host_limit 100")
        #expect(run(shell, "y = arange(101)").failed)
        #expect(!run(shell, "y = arange(100)").failed)
        #expect(run(shell, "z = reshape(y, [10, 10]) @ reshape(y, [10, 10])").failed == false)
    }

    @Test func tilesThatDoNotFitAreRefusedNamingThePE() {
        let shell = Shell()
        run(shell, "a = ones(9)")
        let uneven = run(shell, "b = a * 2 on RowPartition(4)")
        #expect(uneven.lines[0].text.hasPrefix("error: RowPartition(4) leaves PE (0,3) with an empty tile"))
        #expect(uneven.lines[2].text == "            ^~~~~~~~~~~~~~~~~~")
        run(shell, "w = ones([128, 128])")
        #expect(
            run(shell, "v = w + 1 on SinglePE").lines[0].text
                == "error: PE (0,0) needs 131072 B of data, budget 36864 B (add on SinglePE; it fits on Grid(2, 2))")
        run(shell, "fabric 4x4")
        #expect(run(shell, "v = w + 1 on Grid(8, 8)").lines[0].text == "error: Grid(8, 8) needs a block of 8x8 PEs; fabric 4x4 has 4 columns and 4 rows")
    }

    @Test func fabricAndTargetFollowTheWaferLimits() {
        let shell = Shell()
        #expect(shell.banner.contains("target wse2 on fabric wse2 (750x994)"))
        #expect(run(shell, "fabric 8x8").text == "fabric 8x8")
        #expect(run(shell, "fabric wse3").lines[0].text == "error: fabric 755x1170 is larger than wse2's usable 750x994; say `target wse3` first")
        #expect(run(shell, "target wse3").text == "target wse3 on fabric 8x8")
        #expect(run(shell, "fabric wse3").text == "fabric wse3 (755x1170)")
        #expect(run(shell, "target wse2").lines[0].text == "error: fabric 755x1170 is larger than wse2's usable 750x994: set a smaller fabric first")
        #expect(run(shell, "fabric 0x4").failed)
    }

    @Test func settingsAreCheckedAndListed() {
        let shell = Shell()
        #expect(run(shell, "set pe_data_budget 32K").text == "pe_data_budget = 32768")
        #expect(run(shell, "set pe_data_budget 64K").lines[0].text == "error: pe_data_budget must be in 1...49152 B, not 65536")
        #expect(run(shell, "set hop_latency fast").lines[0].text == "error: hop_latency takes a whole number of cycles, not 'fast'")
        #expect(run(shell, ":status").text.contains("settings pe_data_budget=32768"))
        let help = run(shell, ":help set").text
        for d in Settings.definitions { #expect(help.contains(d.name.rawValue)) }
    }

    @Test func theCalculatorFoldsPlainNumbers() {
        let shell = Shell()
        #expect(run(shell, "1 + 2 * 3").text == "7")
        #expect(run(shell, "7 / 2").text == "3.5")
        #expect(run(shell, "x = 3").lines[0].text == "error: a number is not a tensor: write x = tensor(3) or full([], ...)")
        #expect(run(shell, "x = tensor(3)").text == "x = tensor<f32> host 3")
    }

    @Test func tensorLiteralsMustBeRectangular() {
        let shell = Shell()
        #expect(run(shell, "t = tensor([[1, 2], [3]])").lines[0].text == "error: ragged tensor literal: expected 2 elements here, found 1")
        #expect(run(shell, "t = tensor([1, [2]])").failed)
        #expect(run(shell, "t = tensor([[1], 2])").failed)
        #expect(run(shell, "t = tensor([[1.5, -2], [3, 4e3]])").text == "t = tensor<2x2xf32> host [[1.5, -2], [3, 4000]]")
    }
}
