import PyFlameCSLFrontend
import PyFlameIR
import Testing

@Suite struct ProjectCompileOptionsTests {
    @Test func aTutorialsCslcLineReadsAsItIs() throws {
        let words =
            "--arch=wse3 ./layout.csl --fabric-dims=11,5 --fabric-offsets=4,1 --params=kernel_x_dim:4,kernel_y_dim:3,M:6,N:8 --params=MEMCPYH2D_DATA_1_ID:0 -o out --memcpy --channels 1"
            .split(separator: " ").map(String.init)
        let o = try CSLCompileOptions.parse(commandLine: words)
        #expect(o.params == ["kernel_x_dim": 4, "kernel_y_dim": 3, "M": 6, "N": 8, "MEMCPYH2D_DATA_1_ID": 0])
        #expect(o.fabricDims == .init(width: 11, height: 5))
        #expect(o.fabricOffsets == .init(x: 4, y: 1))
        #expect(o.architecture == .wse3)
        #expect(o.dialect == .sdk14)
    }

    @Test func separateValuesHexAndNegativeParams() throws {
        let o = try CSLCompileOptions.parse(commandLine: ["--params", "A:0x10,B:-3", "--arch", "wse2", "--sdk", "1.4"])
        #expect(o.params == ["A": 16, "B": -3])
        #expect(o.architecture == .wse2)
    }

    @Test func colorParamsComeFromColors() throws {
        let o = try CSLCompileOptions.parse(commandLine: ["--colors=x_in:1,ax_out:3", "--params=N:2"])
        #expect(o.colors == ["x_in": 1, "ax_out": 3] && o.params == ["N": 2])
        #expect(throws: CSLCompileOptions.ParseError.self) { try CSLCompileOptions.parse(commandLine: ["--colors=x_in:99"]) }
        let layout = """
            param x_in: color;
            param N: i16;
            layout {
              @set_rectangle(N, 1);
              @set_color_config(0, 0, x_in, .{ .routes = .{ .rx = .{ RAMP }, .tx = .{ EAST } } });
            }
            """
        let p = try ProjectFixture.layout(layout).elaborate("--colors=x_in:7 --params=N:2")
        #expect(p.messages == [])
        #expect(p.routes.map(\.color) == [7])
    }

    @Test func badValuesAreRefusedNamingTheFlag() {
        func message(_ words: [String]) -> String? {
            do {
                _ = try CSLCompileOptions.parse(commandLine: words)
                return nil
            } catch let e as CSLCompileOptions.ParseError {
                return e.message
            } catch { return "\(error)" }
        }
        #expect(message(["--params=M:four"]) == "--params=M:four: the value of M, 'four', is not an integer")
        #expect(message(["--params=M"]) == "--params=M: 'M' is not NAME:VALUE")
        #expect(message(["--fabric-dims=11"]) == "--fabric-dims=11: expected two integers, as in --fabric-dims=11,3")
        #expect(message(["--arch=wse4"]) == "--arch=wse4: the architecture is wse2 or wse3")
        #expect(message(["--sdk", "2.10"]) == "--sdk 2.10: this shell reads SDK 1.4 CSL")
        #expect(message(["--params"]) == "--params needs a value")
    }

    @Test func memcpysReservationsComeFromArchitecture() {
        let wse2 = CSLMemcpyReservations(architecture: .wse2)
        #expect(wse2.colors == Array(Architecture.memcpyColors))
        #expect(wse2.localTaskIDs == Array(Architecture.memcpyTaskIDs))
        #expect(wse2.inputQueues == [0])
        #expect(CSLMemcpyReservations(architecture: .wse3).inputQueues == [0, 1])
    }
}
