@testable import PyFlameShell
import Testing

@Suite struct PagerPolicyTests {
    @Test func thePagerIsPAGERElseLessAndNoneWhenEmptyOrCat() {
        #expect(PagerPolicy.command(environment: [:]) == "less -R")
        #expect(PagerPolicy.command(environment: ["PAGER": "most"]) == "most")
        #expect(PagerPolicy.command(environment: ["PAGER": ""]) == nil)
        #expect(PagerPolicy.command(environment: ["PAGER": " cat "]) == nil)
    }

    @Test func onlyInteractiveOutputTallerThanTheScreenIsPaged() {
        #expect(PagerPolicy.shouldPage(lineCount: 24, terminalRows: 24, interactive: true))
        #expect(!PagerPolicy.shouldPage(lineCount: 23, terminalRows: 24, interactive: true))
        #expect(!PagerPolicy.shouldPage(lineCount: 500, terminalRows: 24, interactive: false))
        #expect(!PagerPolicy.shouldPage(lineCount: 500, terminalRows: nil, interactive: true))
    }
}
