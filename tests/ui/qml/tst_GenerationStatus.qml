import QtQuick
import Latent.Ui

Item {
    width: 600
    height: 200

    Component {
        id: statusComponent
        GenerationStatus {
            width: 500
            generating: true
            contextUsed: 1300
            contextSize: 4096
        }
    }

    ComponentTestCase {
        name: "GenerationStatus"

        function tokens(count) {
            return Number(count).toLocaleString(Qt.locale(), "f", 0)
        }

        // Before the first token there is no speed yet: the prompt being read is what happens.
        function test_readingThePromptBeforeTheFirstToken() {
            const status = create(statusComponent, { promptReading: 1234 })
            const reading = named(status, "promptReading")
            verify(reading.visible)
            compare(reading.text, "Reading the prompt: %1 tokens".arg(tokens(1234)))
            verify(!named(status, "tokensPerSecond").visible, "no 0.0 tokens/s")
            status.promptReading = 0
            verify(!reading.visible)
            verify(!named(status, "tokensPerSecond").visible, "a speed needs two tokens")
            status.tokensPerSecond = 8.25
            verify(named(status, "tokensPerSecond").visible)
        }

        function test_contextUseInTheNumbersTheModelCardShows() {
            const status = create(statusComponent)
            compare(named(status, "contextUsed").text, "Context %1 / %2".arg(tokens(1300)).arg(tokens(4096)))
        }

        function test_theWarningSaysWhatHelps() {
            const status = create(statusComponent)
            const warning = named(status, "contextWarning")
            verify(!warning.visible)
            status.contextWarning = "The context is nearly full (4,000 of 4,096 tokens). Start a new conversation."
            verify(warning.visible)
            compare(warning.text, status.contextWarning)
        }

        function test_anUnknownContextSizeIsSaid() {
            const status = create(statusComponent, { contextUsed: 60, contextSize: 0 })
            const used = named(status, "contextUsed")
            verify(used.visible)
            compare(used.text, "Context 60 tokens, size unknown")
            verify(!named(status, "contextBar").visible, "no bar without a size")
        }
    }
}
