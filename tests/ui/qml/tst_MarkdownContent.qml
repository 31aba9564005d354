import QtQuick
import Latent.Ui

Item {
    width: 700
    height: 600

    Component {
        id: contentComponent
        MarkdownContent {
            width: 500
        }
    }

    ComponentTestCase {
        name: "MarkdownContent"

        function content(properties) {
            return create(contentComponent, properties)
        }

        function test_answerProseIsStyledRichText() {
            const answer = content({ markdown: "| a | b |\n|---|---|\n| 1 | 2 |" })
            const texts = findAll(answer, "markdownText")
            compare(texts.length, 1)
            compare(texts[0].textFormat, TextEdit.RichText)
            // The TextEdit's document holds the chat style (single collapsed rules), not Qt's defaults.
            verify(texts[0].text.indexOf("border-collapse:collapse") >= 0, texts[0].text)
            verify(texts[0].text.indexOf("border-color:" + Theme.border) >= 0, "in the theme's border colour")
        }

        function test_quotesHaveABarAsTallAsTheirText() {
            const answer = content({ markdown: "Before.\n\n> " + "A long quoted sentence. ".repeat(12) + "\n\nAfter." })
            const quote = named(answer, "quoteText")
            const bar = named(answer, "quoteBar")
            verify(quote.lineCount > 1, "the quote wraps")
            compare(bar.height, quote.height)
            verify(bar.width > 0 && bar.x + bar.width < quote.x, "beside the text")
            compare(findAll(answer, "markdownText").length, 2, "the prose before and after")
        }

        function test_userTextKeepsItsLinesAndIndentation() {
            const typed = "Hi *there*,\n  two spaces in\n# no heading"
            const message = content({ markdown: typed, userText: true })
            const texts = findAll(message, "markdownText")
            compare(texts.length, 1)
            compare(texts[0].textFormat, TextEdit.PlainText)
            compare(texts[0].text, typed)
            compare(texts[0].lineCount, 3)
        }

        function test_userPastedSnippetIsACodeBlock() {
            const message = content({
                markdown: "Why does this fail?\ndef f(x):\n    if x:\n        return 1 * 2\n    return 0",
                userText: true
            })
            compare(findAll(message, "markdownText").map(text => text.text), ["Why does this fail?"])
            const code = findAll(message, "codeText")
            compare(code.length, 1)
            compare(code[0].parent.parent.parent.parent.code, "def f(x):\n    if x:\n        return 1 * 2\n    return 0")
        }

        function test_switchingToUserTextResplits() {
            const message = content({ markdown: "a\nb" })
            compare(findAll(message, "markdownText")[0].textFormat, TextEdit.RichText)
            message.userText = true
            compare(findAll(message, "markdownText")[0].text, "a\nb")
        }
    }
}
