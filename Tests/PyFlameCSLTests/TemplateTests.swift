import Foundation
import Testing
import PyFlameIR
import PyFlameLowering
@testable import PyFlameCSL

/// The repository's templates/ folder, found from this source file.
let templatesFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("templates").path

@Suite struct TemplateTests {
    @Test func embeddedCopiesEqualTheTemplatesFolder() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: templatesFolder).filter { $0.hasSuffix(".template") }
        #expect(
            Set(files.map { String($0.dropLast(".template".count)) }) == Set(EmbeddedTemplates.files.keys),
            "templates/ and the binary's copies list different files: run scripts/embed-templates")
        for file in files {
            let text = try String(contentsOfFile: templatesFolder + "/" + file, encoding: .utf8)
            #expect(
                EmbeddedTemplates.files[String(file.dropLast(".template".count))] == text,
                "\(file) differs from its embedded copy: run scripts/embed-templates")
        }
    }

    @Test func everyRequiredTemplateShipsAndParses() throws {
        let set = TemplateSet.builtIn()
        #expect(Set(TemplateSet.requiredNames).isSubset(of: Set(set.sources.keys)))
        let folder = try TemplateSet.load(folder: templatesFolder)
        #expect(folder.sources == set.sources)
        #expect(folder.origin == templatesFolder)
    }

    @Test func aMissingPlaceholderIsAnErrorNamingTemplateTagAndLine() throws {
        let set = try TemplateSet(sources: ["t": "{{% CONTENT_TYPE: TEXT}}\nparam N: u16 = {{TILE_SIZE}};\nconst c = {{COLOR}};\n"], origin: "test")
        #expect(try set.render("t", ["TILE_SIZE": 4, "COLOR": "@get_color(0)"]) == "param N: u16 = 4;\nconst c = @get_color(0);\n")
        #expect(throws: TemplateError("t.template:3: placeholder {{COLOR}} was not supplied")) {
            try set.render("t", ["TILE_SIZE": 4])
        }
    }

    @Test func sectionsAreCheckedPerElementAndThroughPartials() throws {
        let set = try TemplateSet(
            sources: [
                "outer": "{{% CONTENT_TYPE: TEXT}}\n{{#ROWS}}\n{{> row}}\n{{/ROWS}}\n",
                "row": "{{% CONTENT_TYPE: TEXT}}\nx={{X}} y={{Y}}\n",
            ], origin: "test")
        #expect(try set.render("outer", ["ROWS": [["X": 1, "Y": 2], ["X": 3, "Y": 4]]]) == "x=1 y=2\nx=3 y=4\n")
        #expect(throws: TemplateError("row.template:2: placeholder {{Y}} was not supplied")) {
            try set.render("outer", ["ROWS": [["X": 1, "Y": 2], ["X": 3]]])
        }
        #expect(throws: TemplateError("outer.template:2: section {{#ROWS}} was not supplied")) {
            try set.render("outer", [:])
        }
        // A value where a list belongs, and a list where text belongs, are errors too.
        #expect(throws: TemplateError.self) { try set.render("outer", ["ROWS": 3]) }
        #expect(throws: TemplateError.self) { try set.render("row", ["X": [["a": 1]], "Y": 1]) }
    }

    @Test func valuesAreNotHTMLEscaped() throws {
        let set = try TemplateSet(sources: ["t": "{{% CONTENT_TYPE: TEXT}}\n{{ACCESS}}\n"], origin: "test")
        #expect(try set.render("t", ["ACCESS": "|i|{4} -> b0[i & 3] < \"x\""]) == "|i|{4} -> b0[i & 3] < \"x\"\n")
    }

    @Test func templatesMustDeclareTextAndUseOnlyCheckableTags() {
        #expect(throws: TemplateError("t.template must start with {{% CONTENT_TYPE: TEXT}} (else values are HTML-escaped)")) {
            try TemplateSet(sources: ["t": "{{X}}"], origin: "test")
        }
        #expect(throws: TemplateError("t.template: line 2: {{=…}} is not supported by the placeholder check")) {
            try TemplateSet(sources: ["t": "{{% CONTENT_TYPE: TEXT}}\n{{=<% %>=}}"], origin: "test")
        }
        do {
            _ = try TemplateSet(sources: ["t": "{{% CONTENT_TYPE: TEXT}}\n{{#A}}x"], origin: "test")
            Issue.record("an unclosed section parsed")
        } catch {
            #expect(error.message.hasPrefix("t.template does not parse as a mustache template"), "\(error.message)")
            #expect(error.message.contains("lineNumber: 2"))
        }
        // Our own tag parser agrees, with its own words.
        #expect(throws: TemplateError("line 2: section {{#A}} is never closed")) {
            try TemplatePlaceholders.parse("{{% CONTENT_TYPE: TEXT}}\n{{#A}}x")
        }
    }

    @Test func aFolderMissingTemplatesIsRefusedWithTheNames() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pfs-templates-\(getpid())").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try "{{% CONTENT_TYPE: TEXT}}\n".write(toFile: folder + "/layout.csl.template", atomically: true, encoding: .utf8)
        do {
            _ = try TemplateSet.load(folder: folder)
            Issue.record("a folder with one template loaded")
        } catch {
            #expect(error.message.contains("lacks pe_program.csl.template"))
            #expect(!error.message.contains("lacks layout.csl.template"))
        }
    }

    @Test func pythonLiteralsEscapeEverythingButPrintableASCII() {
        #expect(PythonText.string("c") == "'c'")
        #expect(PythonText.string("a'b\\c") == "'a\\'b\\\\c'")
        #expect(PythonText.string("x\n\u{7}é\u{1F600}") == "'x\\x0a\\x07\\xe9\\U0001f600'")
        #expect(PythonText.tuple([4]) == "(4,)")
        #expect(PythonText.tuple([2, 3]) == "(2, 3)")
        #expect(PythonText.tuple([]) == "()")
    }

    @Test func floatLiteralsArePositionalAndExact() throws {
        #expect(try CSLText.float(2.5) == "2.5")
        #expect(try CSLText.float(3) == "3.0")
        #expect(try CSLText.float(-0.5) == "(-0.5)")
        #expect(try CSLText.float(1e-7) == "0.0000001")
        #expect(try CSLText.float(1.5e20) == "150000000000000000000.0")
        #expect(try CSLText.float(0.1) == "0.1")
        // Every literal reads back as the f32 it stands for.
        for v in [1e-30, 3.14159265, 6.02e23, 123456.789, 1.0 / 3.0] {
            let text = try CSLText.float(v)
            #expect(Float(text) == Float(v), "\(v) -> \(text)")
            #expect(!text.contains("e"))
        }
        #expect(throws: EmitError.self) { try CSLText.float(.infinity) }
    }

    @Test func rectangleCoverUsesEveryPEOnceInMaximalRuns() {
        // An L shape and a lone PE: rows are cut into runs, equal runs in consecutive rows merge.
        let pes = [
            PECoord(0, 0), PECoord(1, 0), PECoord(2, 0), PECoord(0, 1), PECoord(1, 1), PECoord(2, 1),
            PECoord(0, 2), PECoord(5, 2), PECoord(0, 3),
        ]
        let cover = RectangleCover.cover(pes.shuffled())
        #expect(cover == [PERect(x: 0, y: 0, width: 3, height: 2), PERect(x: 0, y: 2, width: 1, height: 2), PERect(x: 5, y: 2, width: 1, height: 1)])
        var covered: [PECoord] = []
        for r in cover { for y in r.y..<(r.y + r.height) { for x in r.x..<(r.x + r.width) { covered.append(PECoord(x, y)) } } }
        #expect(covered.sorted() == pes.sorted())
        // Every other column (a checkerboard role): one column block each.
        let columns = (0..<4).flatMap { x in (0..<5).map { PECoord(2 * x, $0) } }
        #expect(RectangleCover.cover(columns).count == 4)
    }
}
