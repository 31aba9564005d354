import QtQuick
import Latent.Ui

Item {
    width: 700
    height: 500

    Component {
        id: headerComponent
        ChatHeader {
            width: 700
            title: "Borrow checker"
            systemPrompt: "Answer briefly."
        }
    }

    ComponentTestCase {
        name: "ChatHeader"

        function test_title() {
            const header = create(headerComponent)
            compare(named(header, "conversationTitle").text, "Borrow checker")
            header.title = ""
            compare(named(header, "conversationTitle").text, "New chat")
        }

        function test_editSystemPrompt() {
            const header = create(headerComponent)
            const edited = spyOn(header, "systemPromptEdited")
            mouseClick(named(header, "systemPromptButton"))
            const editor = named(header, "systemPromptEditor")
            tryCompare(editor, "visible", true)
            compare(editor.text, "Answer briefly.")
            editor.text = "You review C++ code.\n"
            mouseClick(named(header, "saveSystemPromptButton"))
            compare(edited.count, 1)
            compare(edited.signalArguments[0][0], "You review C++ code.")
        }

        function test_escapeKeepsThePrompt() {
            const header = create(headerComponent)
            const edited = spyOn(header, "systemPromptEdited")
            mouseClick(named(header, "systemPromptButton"))
            const editor = named(header, "systemPromptEditor")
            tryCompare(editor, "activeFocus", true)
            keyClick("x")
            keyClick(Qt.Key_Escape)
            tryCompare(editor, "visible", false)
            compare(edited.count, 0)
        }
    }
}
