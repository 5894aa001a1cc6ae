// swift-tools-version: 6.0
import PackageDescription

// The modules of docs/architecture.md, one library target each, under thin executables:
// IR at the bottom (every hardware fact: Architecture); IR <- Language; IR <- Lowering <- Simulator <- Views;
// Lowering <- CSL; IR, Language (Suggestions), Lowering <- CSLFrontend (reading CSL); Language, Lowering <- Frontend (AST -> IR);
// Frontend, Simulator, Views, CSL, CSLFrontend <- Shell <- Terminal
// (the only library that imports C). The lean kernel pyflame-bench compares with lives in
// Benchmarks/LeanKernel and is compiled by the benchmark itself (with -Ounchecked), not by SwiftPM.
let package = Package(
    name: "pyflame-shell",
    products: [
        .executable(name: "pyflame-shell", targets: ["pyflame-shell"]),
        .library(name: "PyFlameIR", targets: ["PyFlameIR"]),
        .library(name: "PyFlameLanguage", targets: ["PyFlameLanguage"]),
        .library(name: "PyFlameFrontend", targets: ["PyFlameFrontend"]),
        .library(name: "PyFlameLowering", targets: ["PyFlameLowering"]),
        .library(name: "PyFlameViews", targets: ["PyFlameViews"]),
        .library(name: "PyFlameCSLFrontend", targets: ["PyFlameCSLFrontend"]),
        .library(name: "PyFlameShell", targets: ["PyFlameShell"]),
    ],
    dependencies: [
        // The command line of the executable (--help, --version, validation, usage text).
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        // CSL templates: `{{NAME}}` substitution, sections and partials with a maintained renderer (no regex).
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
    ],
    targets: [
        // ---- C: system libraries (module map + shim header) and two tiny compiled helpers.
        .systemLibrary(name: "CEditLine", providers: [.apt(["libedit-dev"])]),
        .systemLibrary(name: "CNCurses", providers: [.apt(["libncurses-dev"])]),
        .target(name: "CTermShim"),
        .target(name: "CPTYSupport"),

        // ---- Pure Swift libraries: no terminal, no C.
        .target(name: "PyFlameIR"),
        .target(name: "PyFlameLanguage", dependencies: ["PyFlameIR"]),
        .target(name: "PyFlameFrontend", dependencies: ["PyFlameIR", "PyFlameLanguage", "PyFlameLowering"]),
        .target(name: "PyFlameLowering", dependencies: ["PyFlameIR"]),
        .target(name: "PyFlameSimulator", dependencies: ["PyFlameIR", "PyFlameLowering"]),
        .target(name: "PyFlameCSL", dependencies: ["PyFlameIR", "PyFlameLowering", .product(name: "Mustache", package: "swift-mustache")]),
        // Reading CSL (SDK 1.4): lexer, parser, comptime evaluation, checks. The emitter (PyFlameCSL) stays independent.
        .target(name: "PyFlameCSLFrontend", dependencies: ["PyFlameIR", "PyFlameLanguage", "PyFlameLowering"]),
        .target(name: "PyFlameViews", dependencies: ["PyFlameIR", "PyFlameLowering", "PyFlameSimulator"]),
        .target(
            name: "PyFlameShell",
            dependencies: [
                "PyFlameIR", "PyFlameLanguage", "PyFlameFrontend", "PyFlameLowering", "PyFlameSimulator", "PyFlameViews", "PyFlameCSL",
                "PyFlameCSLFrontend",
            ]),

        // ---- The edge: the only module that imports C (libedit, curses, signals).
        .target(name: "PyFlameTerminal", dependencies: ["PyFlameIR", "PyFlameShell", "PyFlameViews", "CEditLine", "CNCurses", "CTermShim"]),

        // ---- Executables: wiring only.
        .executableTarget(
            name: "pyflame-shell",
            dependencies: [
                "PyFlameShell", "PyFlameTerminal", "PyFlameViews", "PyFlameCSLFrontend",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(name: "pyflame-bench", dependencies: ["PyFlameShell", "PyFlameLowering", "PyFlameSimulator", "CPTYSupport"]),

        // ---- Tests mirror the sources; each links only the modules it tests (plus the test support, which builds
        // graphs from statement text through the front end, for the modules below the shell).
        .target(
            name: "PyFlameTestSupport", dependencies: ["PyFlameIR", "PyFlameLanguage", "PyFlameFrontend", "PyFlameLowering"],
            path: "Tests/PyFlameTestSupport"),
        .testTarget(name: "PyFlameIRTests", dependencies: ["PyFlameIR"], exclude: ["Golden"]),
        .testTarget(name: "PyFlameLanguageTests", dependencies: ["PyFlameLanguage", "PyFlameIR"]),
        .testTarget(name: "PyFlameFrontendTests", dependencies: ["PyFlameFrontend", "PyFlameLowering", "PyFlameIR", "PyFlameTestSupport"]),
        .testTarget(name: "PyFlameLoweringTests", dependencies: ["PyFlameLowering", "PyFlameIR", "PyFlameTestSupport"]),
        .testTarget(name: "PyFlameSimulatorTests", dependencies: ["PyFlameSimulator", "PyFlameLowering", "PyFlameIR", "PyFlameTestSupport"]),
        .testTarget(
            name: "PyFlameCSLTests",
            dependencies: ["PyFlameCSL", "PyFlameCSLFrontend", "PyFlameLowering", "PyFlameSimulator", "PyFlameIR", "PyFlameTestSupport"],
            exclude: ["Fixtures"]),
        .testTarget(
            name: "PyFlameCSLFrontendTests", dependencies: ["PyFlameCSLFrontend", "PyFlameLowering", "PyFlameIR"],
            exclude: ["Corpus"]),
        .testTarget(name: "PyFlameViewsTests", dependencies: ["PyFlameViews", "PyFlameSimulator", "PyFlameLowering", "PyFlameIR"]),
        .testTarget(
            name: "PyFlameShellTests",
            dependencies: [
                "PyFlameShell", "PyFlameViews", "PyFlameCSL", "PyFlameCSLFrontend", "PyFlameSimulator", "PyFlameLowering", "PyFlameLanguage", "PyFlameIR",
                "PyFlameTestSupport",
            ],
            exclude: ["Golden", "Fixtures"]),
        .testTarget(name: "EndToEndTests", dependencies: ["CPTYSupport", "pyflame-shell", "PyFlameShell"]),
    ]
)
