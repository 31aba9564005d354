import QtQuick
import Latent.Ui

Item {
    width: 700
    height: 600

    Component {
        id: bubbleComponent
        MessageBubble {
            width: 600
            messageId: 42
        }
    }

    ComponentTestCase {
        name: "MessageBubble"

        function bubble(properties) {
            return create(bubbleComponent, properties)
        }

        function test_userMessagesAreRightAlignedBubbles() {
            const message = bubble({ role: "user", content: "Hi there" })
            const body = named(message, "messageBody")
            verify(body.width < message.width / 2, "a short message hugs its text")
            compare(body.x + body.width, message.width)
            verify(body.color.a > 0, "on a colored bubble")
        }

        function test_longUserMessagesWrapWithinTheBubble() {
            const message = bubble({ role: "user", content: "word ".repeat(200) })
            const body = named(message, "messageBody")
            compare(body.width, message.width * 0.8)
            verify(body.height > 60, "several lines")
        }

        function test_assistantMessagesTakeTheFullWidth() {
            const message = bubble({ role: "assistant", content: "Hello" })
            const body = named(message, "messageBody")
            compare(body.x, 0)
            compare(body.width, message.width)
        }

        function test_markdownAndCodeSegments() {
            const message = bubble({
                role: "assistant",
                content: "Some **bold** text.\n\n```cpp\nint main() {}\n```\n\nAfter the code.\n\n```python\nprint(1)\n```\n"
            })
            const texts = findAll(message, "markdownText")
            compare(texts.length, 2)
            compare(texts[0].textFormat, TextEdit.RichText) // styled by Markdown.proseHtml
            verify(texts[0].readOnly)
            verify(texts[0].selectByMouse)
            const languages = findAll(message, "languageLabel").map(label => label.text)
            compare(languages, ["cpp", "python"])
        }

        function test_userMessagesKeepLineBreaksAndShowPastedCodeAsCode() {
            const message = bubble({
                role: "user",
                content: "Why does this fail?\ndef f(x):\n    if x:\n        return 1 * 2\n    return 0\nThanks,\n  Ann"
            })
            const texts = findAll(message, "markdownText")
            compare(texts.map(text => text.text), ["Why does this fail?", "Thanks,\n  Ann"])
            compare(texts[1].lineCount, 2, "the line break stays")
            compare(findAll(message, "codeText").length, 1, "the snippet is a code block")
            const body = named(message, "messageBody")
            verify(body.width <= message.width * 0.8)
        }

        function test_shortUserMessagesOnSeveralLinesHugTheirText() {
            const message = bubble({ role: "user", content: "one\ntwo" })
            verify(named(message, "messageBody").width < message.width / 2)
            compare(findAll(message, "markdownText")[0].lineCount, 2)
        }

        function test_streamingUpdatesSegmentsInPlace() {
            const message = bubble({ role: "assistant", content: "Intro\n\n```cpp\nint a", streaming: true, complete: false })
            verify(named(message, "typingIndicator").visible)
            verify(!named(message, "interruptedNote").visible, "still being written")
            verify(!named(message, "messageActions").visible, "no actions while it is written")
            const block = findAll(message, "codeText")[0].parent
            message.content = "Intro\n\n```cpp\nint a = 1;\n"
            compare(findAll(message, "codeText")[0].parent, block, "the code block is kept")
            message.complete = true
            message.streaming = false
            verify(!named(message, "typingIndicator").visible)
            verify(named(message, "messageActions").visible)
            verify(!named(message, "interruptedNote").visible)
        }

        function test_anInterruptedAnswerSaysSo() {
            const message = bubble({ role: "assistant", content: "Half an ans", complete: false })
            verify(named(message, "interruptedNote").visible)
        }

        function test_anAnswerCutShortSaysWhy_data() {
            return [
                { tag: "stopped", reason: "cancelled", note: "Stopped." },
                { tag: "max tokens", reason: "maxTokens",
                  note: "Cut at the 2,048-token limit of an answer (Settings > Max tokens)." },
                { tag: "context full", reason: "contextFull", note: "Cut here: the conversation filled the context." },
            ]
        }

        function test_anAnswerCutShortSaysWhy(data) {
            const message = bubble({ role: "assistant", content: "An answer cut", finishReason: data.reason,
                                     generatedTokens: 2048 })
            const note = named(message, "finishNote")
            verify(note.visible)
            compare(note.text, data.note)
            verify(!named(message, "interruptedNote").visible)
            verify(note.y + note.height <= message.height, "inside the bubble's height")
        }

        function test_anAnswerEndedByTheModelHasNoNote() {
            const whole = bubble({ role: "assistant", content: "A whole answer" })
            verify(!named(whole, "finishNote").visible)
            const streaming = bubble({ role: "assistant", content: "Still", streaming: true, complete: false,
                                       finishReason: "cancelled" })
            verify(!named(streaming, "finishNote").visible, "no note until it has ended")
        }

        function test_copyRequested() {
            const message = bubble({ role: "assistant", content: "Answer" })
            const copy = spyOn(message, "copyRequested")
            hoverAndClick(message, named(message, "copyMessageButton"))
            compare(copy.count, 1)
        }

        function test_regenerateOnlyForAnswers() {
            const answer = bubble({ role: "assistant", content: "Answer" })
            const regenerate = spyOn(answer, "regenerateRequested")
            verify(!named(answer, "editButton").visible)
            hoverAndClick(answer, named(answer, "regenerateButton"))
            compare(regenerate.count, 1)

            const question = bubble({ role: "user", content: "Question" })
            verify(!named(question, "regenerateButton").visible)
            verify(named(question, "editButton").visible)
        }

        function test_editAndSend() {
            const message = bubble({ role: "user", content: "Old question" })
            const edit = spyOn(message, "editRequested")
            hoverAndClick(message, named(message, "editButton"))
            verify(message.editing)
            const area = named(message, "editArea")
            compare(area.text, "Old question")
            area.text = "  New question  "
            mouseClick(named(message, "saveEditButton"))
            compare(edit.count, 1)
            compare(edit.signalArguments[0][0], "New question")
            verify(!message.editing)
        }

        function test_editCancelledSendsNothing() {
            const message = bubble({ role: "user", content: "Question" })
            const edit = spyOn(message, "editRequested")
            hoverAndClick(message, named(message, "editButton"))
            named(message, "editArea").text = "Changed"
            mouseClick(named(message, "cancelEditButton"))
            verify(!message.editing)
            compare(edit.count, 0)
            compare(message.content, "Question")
        }

        function test_versionSwitcher() {
            const message = bubble({ role: "assistant", content: "Answer", versionIndex: 2, versionCount: 3 })
            const version = spyOn(message, "versionRequested")
            verify(named(message, "versionSwitcher").visible)
            compare(named(message, "versionLabel").text, "2 / 3")
            mouseClick(named(message, "previousVersionButton"))
            mouseClick(named(message, "nextVersionButton"))
            compare(version.count, 2)
            compare(version.signalArguments[0][0], -1)
            compare(version.signalArguments[1][0], 1)

            message.versionIndex = 3
            verify(!named(message, "nextVersionButton").enabled, "no version after the last")
        }

        function test_versionSwitcherHiddenForASingleVersion() {
            const message = bubble({ role: "assistant", content: "Answer", versionIndex: 1, versionCount: 1 })
            verify(!named(message, "versionSwitcher").visible)
        }

        function test_actionsDisabledWhileAnAnswerStreams() {
            const message = bubble({ role: "user", content: "Question", actionsEnabled: false })
            mouseMove(message, 5, 5)
            verify(!named(message, "editButton").enabled)
        }

        function test_thinkingIsACollapsedSectionAboveTheAnswer() {
            const message = bubble({ role: "assistant", content: "<think>\nCompare the tenths.\n</think>\n\n9.8 is larger.",
                                     thinking: "Compare the tenths.", answerText: "9.8 is larger." })
            const header = named(message, "thinkingHeader")
            verify(header.visible)
            compare(header.text, "\u25B8 Thinking")
            verify(!named(message, "thinkingBody").visible, "collapsed at first")
            const answer = findAll(message, "markdownText")
            compare(answer.length, 1)
            compare(answer[0].getText(0, answer[0].length), "9.8 is larger.", "the answer without its raw tags")
            const answerY = answer[0].mapToItem(message, 0, 0).y
            verify(answerY > header.mapToItem(message, 0, 0).y, "the answer under the thinking line")

            const heightBefore = message.height
            mouseClick(header)
            verify(named(message, "thinkingBody").visible, "a click opens it")
            compare(named(message, "thinkingText").text, "Compare the tenths.")
            compare(named(message, "thinkingText").color, Theme.textMuted, "dimmed")
            tryVerify(() => message.height > heightBefore, 5000, "the bubble makes room for it")
            mouseClick(header)
            verify(!named(message, "thinkingBody").visible, "and closes it")
        }

        function test_stillThinkingSaysSo() {
            const message = bubble({ role: "assistant", content: "<think>\nLet me see", streaming: true,
                                     complete: false, thinking: "Let me see", answerText: "", thinkingOpen: true })
            compare(named(message, "thinkingHeader").text, "\u25B8 Thinking\u2026")
        }

        function test_noThinkingNoSection() {
            const message = bubble({ role: "assistant", content: "Plain answer" })
            verify(!named(message, "thinkingHeader").visible)
        }
    }
}
