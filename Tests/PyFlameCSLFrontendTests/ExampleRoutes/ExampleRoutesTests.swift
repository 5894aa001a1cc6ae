import PyFlameCSLFrontend
import PyFlameIR
import PyFlameLowering
import Testing

// Every route the `@set_color_config` calls of seven SDK 1.4 tutorials configure, expanded by hand for the
// parameters of their commands_wse2.sh / commands_wse3.sh, compared with what the front end elaborates from
// the examples themselves (PYFLAME_CSL_EXAMPLES; see ExampleRoutesSupport.swift). Colors are the numbers
// `@get_color` is given; PEs are program-rectangle coordinates (x = column, y = row).

/// The flags of both architectures' cslc lines (they differ only in --arch).
private func bothArchitectures(_ flags: String) -> [String] {
    ["--arch=wse2 " + flags, "--arch=wse3 " + flags]
}

@Suite(.enabled(if: CerebrasExamples.isGiven, "\(CerebrasExamples.notGiven)"))
struct ExampleRoutesTests {
    /// gemv-06: two PEs; the left one sends its partial result east on color 0.
    @Test func gemv06RoutesOne() throws {
        try expectRoutes(
            of: "gemv-06-routes-1", commandLines: bothArchitectures("--fabric-dims=11,3 --fabric-offsets=4,1 --params=M:4,N:6"),
            equal: [
                route(0, 0, color: 0, rx: [.ramp], tx: [.east]),
                route(1, 0, color: 0, rx: [.west], tx: [.ramp]),
            ])
    }

    /// gemv-07: 2×2 PEs; partial results go east on color 0, x goes down the columns on color 1.
    @Test func gemv07RoutesTwo() throws {
        try expectRoutes(
            of: "gemv-07-routes-2", commandLines: bothArchitectures("--fabric-dims=9,4 --fabric-offsets=4,1 --params=M:4,N:6"),
            equal: [
                route(0, 0, color: 0, rx: [.ramp], tx: [.east]),
                route(1, 0, color: 0, rx: [.west], tx: [.ramp]),
                route(0, 1, color: 0, rx: [.ramp], tx: [.east]),
                route(1, 1, color: 0, rx: [.west], tx: [.ramp]),
                route(0, 0, color: 1, rx: [.ramp], tx: [.ramp, .south]),
                route(1, 0, color: 1, rx: [.ramp], tx: [.ramp, .south]),
                route(0, 1, color: 1, rx: [.north], tx: [.ramp]),
                route(1, 1, color: 1, rx: [.north], tx: [.ramp]),
            ])
    }

    /// gemv-08 with kernel_x_dim 4, kernel_y_dim 3: a checkerboard of colors 0 and 1 carries partial results
    /// east (even columns send on 0 and receive on 1, odd columns the other way round); color 2 carries x
    /// from the top row down each column.
    @Test func gemv08RoutesThree() throws {
        try expectRoutes(
            of: "gemv-08-routes-3",
            commandLines: bothArchitectures("--fabric-dims=11,5 --fabric-offsets=4,1 --params=kernel_x_dim:4,kernel_y_dim:3,M:6,N:8"),
            equal: [
                // color 0: even columns send east, odd columns receive from the west
                route(0, 0, color: 0, rx: [.ramp], tx: [.east]), route(1, 0, color: 0, rx: [.west], tx: [.ramp]),
                route(2, 0, color: 0, rx: [.ramp], tx: [.east]), route(3, 0, color: 0, rx: [.west], tx: [.ramp]),
                route(0, 1, color: 0, rx: [.ramp], tx: [.east]), route(1, 1, color: 0, rx: [.west], tx: [.ramp]),
                route(2, 1, color: 0, rx: [.ramp], tx: [.east]), route(3, 1, color: 0, rx: [.west], tx: [.ramp]),
                route(0, 2, color: 0, rx: [.ramp], tx: [.east]), route(1, 2, color: 0, rx: [.west], tx: [.ramp]),
                route(2, 2, color: 0, rx: [.ramp], tx: [.east]), route(3, 2, color: 0, rx: [.west], tx: [.ramp]),
                // color 1: odd columns send east, even columns receive from the west
                route(0, 0, color: 1, rx: [.west], tx: [.ramp]), route(1, 0, color: 1, rx: [.ramp], tx: [.east]),
                route(2, 0, color: 1, rx: [.west], tx: [.ramp]), route(3, 0, color: 1, rx: [.ramp], tx: [.east]),
                route(0, 1, color: 1, rx: [.west], tx: [.ramp]), route(1, 1, color: 1, rx: [.ramp], tx: [.east]),
                route(2, 1, color: 1, rx: [.west], tx: [.ramp]), route(3, 1, color: 1, rx: [.ramp], tx: [.east]),
                route(0, 2, color: 1, rx: [.west], tx: [.ramp]), route(1, 2, color: 1, rx: [.ramp], tx: [.east]),
                route(2, 2, color: 1, rx: [.west], tx: [.ramp]), route(3, 2, color: 1, rx: [.ramp], tx: [.east]),
                // color 2: the top row takes x from its core and sends it down; the middle row passes it on; the
                // bottom row only receives
                route(0, 0, color: 2, rx: [.ramp], tx: [.ramp, .south]), route(1, 0, color: 2, rx: [.ramp], tx: [.ramp, .south]),
                route(2, 0, color: 2, rx: [.ramp], tx: [.ramp, .south]), route(3, 0, color: 2, rx: [.ramp], tx: [.ramp, .south]),
                route(0, 1, color: 2, rx: [.north], tx: [.ramp, .south]), route(1, 1, color: 2, rx: [.north], tx: [.ramp, .south]),
                route(2, 1, color: 2, rx: [.north], tx: [.ramp, .south]), route(3, 1, color: 2, rx: [.north], tx: [.ramp, .south]),
                route(0, 2, color: 2, rx: [.north], tx: [.ramp]), route(1, 2, color: 2, rx: [.north], tx: [.ramp]),
                route(2, 2, color: 2, rx: [.north], tx: [.ramp]), route(3, 2, color: 2, rx: [.north], tx: [.ramp]),
            ])
    }

    /// gemv-09 (streaming) with kernel_x_dim 4, kernel_y_dim 3: colors 3 and 4 form the checkerboard, except
    /// that column 0 keeps color 4 on its own core (it receives b from the host instead of a neighbour); color
    /// 5 carries x down. The memcpy streaming colors 0–2 get no route of the layout's own.
    @Test func gemv09Streaming() throws {
        try expectRoutes(
            of: "gemv-09-streaming",
            commandLines: bothArchitectures(
                "--fabric-dims=11,5 --fabric-offsets=4,1 --params=kernel_x_dim:4,kernel_y_dim:3,M:6,N:8 "
                    + "--params=MEMCPYH2D_DATA_1_ID:0 --params=MEMCPYH2D_DATA_2_ID:1 --params=MEMCPYD2H_DATA_1_ID:2"),
            equal: [
                // color 3
                route(0, 0, color: 3, rx: [.ramp], tx: [.east]), route(1, 0, color: 3, rx: [.west], tx: [.ramp]),
                route(2, 0, color: 3, rx: [.ramp], tx: [.east]), route(3, 0, color: 3, rx: [.west], tx: [.ramp]),
                route(0, 1, color: 3, rx: [.ramp], tx: [.east]), route(1, 1, color: 3, rx: [.west], tx: [.ramp]),
                route(2, 1, color: 3, rx: [.ramp], tx: [.east]), route(3, 1, color: 3, rx: [.west], tx: [.ramp]),
                route(0, 2, color: 3, rx: [.ramp], tx: [.east]), route(1, 2, color: 3, rx: [.west], tx: [.ramp]),
                route(2, 2, color: 3, rx: [.ramp], tx: [.east]), route(3, 2, color: 3, rx: [.west], tx: [.ramp]),
                // color 4: column 0 loops it back to its own core
                route(0, 0, color: 4, rx: [.ramp], tx: [.ramp]), route(1, 0, color: 4, rx: [.ramp], tx: [.east]),
                route(2, 0, color: 4, rx: [.west], tx: [.ramp]), route(3, 0, color: 4, rx: [.ramp], tx: [.east]),
                route(0, 1, color: 4, rx: [.ramp], tx: [.ramp]), route(1, 1, color: 4, rx: [.ramp], tx: [.east]),
                route(2, 1, color: 4, rx: [.west], tx: [.ramp]), route(3, 1, color: 4, rx: [.ramp], tx: [.east]),
                route(0, 2, color: 4, rx: [.ramp], tx: [.ramp]), route(1, 2, color: 4, rx: [.ramp], tx: [.east]),
                route(2, 2, color: 4, rx: [.west], tx: [.ramp]), route(3, 2, color: 4, rx: [.ramp], tx: [.east]),
                // color 5
                route(0, 0, color: 5, rx: [.ramp], tx: [.ramp, .south]), route(1, 0, color: 5, rx: [.ramp], tx: [.ramp, .south]),
                route(2, 0, color: 5, rx: [.ramp], tx: [.ramp, .south]), route(3, 0, color: 5, rx: [.ramp], tx: [.ramp, .south]),
                route(0, 1, color: 5, rx: [.north], tx: [.ramp, .south]), route(1, 1, color: 5, rx: [.north], tx: [.ramp, .south]),
                route(2, 1, color: 5, rx: [.north], tx: [.ramp, .south]), route(3, 1, color: 5, rx: [.north], tx: [.ramp, .south]),
                route(0, 2, color: 5, rx: [.north], tx: [.ramp]), route(1, 2, color: 5, rx: [.north], tx: [.ramp]),
                route(2, 2, color: 5, rx: [.north], tx: [.ramp]), route(3, 2, color: 5, rx: [.north], tx: [.ramp]),
            ])
    }

    /// topic-06: the centre PE of 3×3 sends on color 0 north by default, with a switch whose positions send
    /// west, east and south, starting at position 1 and wrapping; its four neighbours receive.
    @Test func topic06Switches() throws {
        let centre = RouteSwitches(
            positions: [SwitchPosition(tx: [.west]), SwitchPosition(tx: [.east]), SwitchPosition(tx: [.south])], currentPosition: 1,
            ringMode: true, popMode: .noPop)
        try expectRoutes(
            of: "topic-06-switches", commandLines: bothArchitectures("--fabric-dims=10,5 --fabric-offsets=4,1"),
            equal: [
                route(1, 1, color: 0, rx: [.ramp], tx: [.north], switches: centre),
                route(1, 0, color: 0, rx: [.south], tx: [.ramp]),
                route(0, 1, color: 0, rx: [.east], tx: [.ramp]),
                route(2, 1, color: 0, rx: [.west], tx: [.ramp]),
                route(1, 2, color: 0, rx: [.north], tx: [.ramp]),
            ])
    }

    /// topic-08: PE 0 of a row of 4 sends on color 1; PE k (1–3) passes everything on and takes the wavelets
    /// whose index is 3k to 3k + 2; the last one only receives.
    @Test func topic08Filters() throws {
        try expectRoutes(
            of: "topic-08-filters", commandLines: bothArchitectures("--fabric-dims=11,3 --fabric-offsets=4,1"),
            equal: [
                route(0, 0, color: 1, rx: [.ramp], tx: [.east]),
                route(1, 0, color: 1, rx: [.west], tx: [.ramp, .east], filter: RouteFilter(minIndex: 3, maxIndex: 5)),
                route(2, 0, color: 1, rx: [.west], tx: [.ramp, .east], filter: RouteFilter(minIndex: 6, maxIndex: 8)),
                route(3, 0, color: 1, rx: [.west], tx: [.ramp], filter: RouteFilter(minIndex: 9, maxIndex: 11)),
            ])
    }

    /// topic-14 (WSE-2 only: color swap) with width 4: colors 0 and 1 both run along the row with
    /// color_swap_x, from the first PE's core to the last PE's core, every PE also taking them.
    @Test func topic14ColorSwap() throws {
        try expectRoutes(
            of: "topic-14-color-swap",
            commandLines: ["--arch=wse2 --fabric-dims=11,3 --fabric-offsets=4,1 --params=width:4 --params=MEMCPYH2D_DATA_1_ID:6"],
            equal: [
                route(0, 0, color: 0, rx: [.ramp], tx: [.ramp, .east], colorSwapX: true),
                route(1, 0, color: 0, rx: [.west], tx: [.ramp, .east], colorSwapX: true),
                route(2, 0, color: 0, rx: [.west], tx: [.ramp, .east], colorSwapX: true),
                route(3, 0, color: 0, rx: [.west], tx: [.ramp], colorSwapX: true),
                route(0, 0, color: 1, rx: [.ramp], tx: [.ramp, .east], colorSwapX: true),
                route(1, 0, color: 1, rx: [.west], tx: [.ramp, .east], colorSwapX: true),
                route(2, 0, color: 1, rx: [.west], tx: [.ramp, .east], colorSwapX: true),
                route(3, 0, color: 1, rx: [.west], tx: [.ramp], colorSwapX: true),
            ])
    }
}
