import QtQuick
import Latent.Ui

Item {
    width: 600
    height: 400

    Component {
        id: codeBlock
        CodeBlock {
            width: 400
        }
    }

    // Reads the clipboard back the only way QML can: pasting into a text field.
    TextEdit {
        id: pasteTarget
    }

    ComponentTestCase {
        name: "CodeBlock"

        function test_languageLabel() {
            const block = create(codeBlock, { language: "python", code: "print(1)", html: "<pre>print(1)</pre>" })
            compare(named(block, "languageLabel").text, "python")
            block.language = ""
            compare(named(block, "languageLabel").text, "code")
        }

        function test_copyPutsTheCodeOnTheClipboardAndSaysCopied() {
            const code = "int main() {\n    return 0;\n}\n"
            const block = create(codeBlock, { language: "cpp", code: code, html: "<pre>int main()</pre>" })
            const copied = spyOn(block, "copied")
            const button = named(block, "copyCodeButton")
            compare(button.text, "Copy")
            mouseClick(button)
            compare(copied.count, 1)
            compare(button.text, "Copied")
            pasteTarget.text = ""
            pasteTarget.paste()
            compare(pasteTarget.text, code)
            block.copiedFeedbackMs = 10
            copied.clear()
            mouseClick(button)
            tryCompare(button, "text", "Copy")
        }

        function test_editorButtonsOnlyWithAnEditor() {
            const block = create(codeBlock, { language: "cpp", code: "int x;", html: "<pre>int x;</pre>" })
            compare(EditorLink.available, false)
            verify(!named(block, "insertCodeButton").visible)
            verify(!named(block, "replaceCodeButton").visible)
        }

        function test_longLinesScrollInsteadOfWrapping() {
            const line = "x".repeat(400)
            const block = create(codeBlock, { code: line, html: "<pre>" + line + "</pre>" })
            const code = named(block, "codeText")
            verify(code.width > block.width, "the line keeps its length")
            verify(block.height < 150, "and stays one line high")
        }
    }
}
