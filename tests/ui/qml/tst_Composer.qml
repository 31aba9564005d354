import QtQuick
import Latent.Ui

Item {
    width: 700
    height: 400

    Component {
        id: composerComponent
        Composer {
            width: 600
            ready: true
        }
    }

    ComponentTestCase {
        name: "Composer"

        function composer(properties) {
            const created = create(composerComponent, properties)
            named(created, "composerInput").forceActiveFocus()
            return created
        }

        function type(text) {
            for (const character of text)
                keyClick(character)
        }

        function test_enterSends() {
            const input = composer()
            const send = spyOn(input, "sendRequested")
            type("hello")
            keyClick(Qt.Key_Return)
            compare(send.count, 1)
            compare(send.signalArguments[0][0], "hello")
            compare(input.text, "", "the field is cleared")
        }

        function test_shiftEnterAddsANewLine() {
            const input = composer()
            const send = spyOn(input, "sendRequested")
            type("a")
            keyClick(Qt.Key_Return, Qt.ShiftModifier)
            type("b")
            compare(send.count, 0)
            compare(input.text, "a\nb")
        }

        function test_ctrlEnterSends() {
            const input = composer()
            const send = spyOn(input, "sendRequested")
            type("x")
            keyClick(Qt.Key_Return, Qt.ControlModifier)
            compare(send.count, 1)
        }

        function test_sendButtonAndWhitespace() {
            const input = composer()
            const send = spyOn(input, "sendRequested")
            const button = named(input, "sendButton")
            verify(!button.enabled, "nothing to send")
            input.text = "\n\n    indented code\n\n"
            mouseClick(button)
            compare(send.count, 1)
            compare(send.signalArguments[0][0], "    indented code", "blank lines go, the indent stays")
        }

        function test_notReadyKeepsTheDraftAndSendsNothing() {
            const input = composer({ ready: false })
            const send = spyOn(input, "sendRequested")
            compare(named(input, "composerInput").placeholderText, input.notReadyHint)
            type("draft")
            keyClick(Qt.Key_Return)
            compare(send.count, 0)
            compare(input.text, "draft")
            verify(!named(input, "sendButton").enabled)
        }

        function test_stopWhileGenerating() {
            const input = composer({ generating: true, tokensPerSecond: 12.34, contextUsed: 300, contextSize: 4096 })
            const stop = spyOn(input, "stopRequested")
            const send = spyOn(input, "sendRequested")
            const button = named(input, "sendButton")
            compare(button.text, "Stop")
            verify(button.enabled)
            mouseClick(button)
            compare(stop.count, 1)
            type("next")
            keyClick(Qt.Key_Return)
            compare(send.count, 0, "no second question while an answer streams")

            verify(named(input, "generationStats").visible)
            compare(named(input, "tokensPerSecond").text,
                    "%1 tokens/s".arg(Number(12.3).toLocaleString(Qt.locale(), "f", 1)))
            compare(named(input, "contextUsed").text,
                    "Context 300 / %1".arg(Number(4096).toLocaleString(Qt.locale(), "f", 0)))
            input.generating = false
            compare(button.text, "Send")
            verify(!named(input, "generationStats").visible)
        }

        function test_warningWhenTheContextIsNearlyFull() {
            const input = composer()
            const warning = named(input, "contextWarning")
            verify(!warning.visible)
            input.contextWarning = "The context is nearly full (1,900 of 2,048 tokens)."
            verify(warning.visible)
            compare(warning.text, input.contextWarning)
        }
    }
}
