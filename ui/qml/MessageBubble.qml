import QtQuick
import Latent.Ui

// One message. The user's sit right-aligned in a bubble, as typed (code in CodeBlocks); the
// assistant's take the full width, their markdown rendered (code in CodeBlocks). Under it: the
// version switcher and, on hover, Copy, Regenerate (answers) or Edit (the user's, in place, then
// Save & Send). An answer's thinking sits collapsed above it (ThinkingSection). An answer that
// stopped short without being stopped (the app quit while it streamed) says so, and so does one
// cut short by Stop, the limit of an answer or a full context.
Item {
    id: bubble

    property string role
    property string content
    // An answer's thinking apart from its answer (MessageListModel's thinking, answerText and
    // thinkingOpen roles); a message without thinking shows its content.
    property string thinking
    property string answerText: content
    property bool thinkingOpen: false
    property bool streaming: false
    property bool complete: true
    property int versionIndex: 1
    property int versionCount: 1
    property double messageId: -1
    property string model
    property string finishReason       // why an answer was cut short: "cancelled", "maxTokens", "contextFull"
    property int generatedTokens: 0
    property bool actionsEnabled: true // false while any answer streams
    property bool highlighted: false   // a search hit just opened

    signal copyRequested()
    signal regenerateRequested()
    signal editRequested(string newText)
    signal versionRequested(int delta)

    readonly property bool isUser: role === "user"
    readonly property int bodyPadding: isUser ? Theme.spacingMedium : 0
    property bool editing: false

    function startEdit() {
        editing = true
    }

    function finishEdit(newText) {
        editing = false
        editRequested(newText)
    }

    implicitHeight: column.height + Theme.spacingSmall

    HoverHandler {
        id: hover
    }

    Component {
        id: editorComponent
        MessageEditor {
            text: bubble.content
            onSendClicked: (newText) => bubble.finishEdit(newText)
            onCancelClicked: bubble.editing = false
        }
    }

    Rectangle {
        anchors.fill: parent
        anchors.margins: -Theme.spacingTiny
        radius: Theme.radiusMedium
        color: Theme.selection
        opacity: bubble.highlighted ? 1 : 0
        Behavior on opacity {
            NumberAnimation { duration: 400 }
        }
    }

    Column {
        id: column
        width: parent.width
        spacing: Theme.spacingTiny

        Rectangle {
            id: body
            objectName: "messageBody"
            visible: !bubble.editing
            x: bubble.isUser ? parent.width - width : 0
            width: bubble.isUser ? Math.min(parent.width * 0.8, markdown.naturalWidth + 2 * bubble.bodyPadding)
                                 : parent.width
            height: thinkingSection.height + markdown.height
                    + (typing.visible ? typing.height + Theme.spacingSmall : 0) + 2 * bubble.bodyPadding
            radius: Theme.radiusLarge
            color: bubble.isUser ? Theme.surface : "transparent"

            ThinkingSection {
                id: thinkingSection
                x: bubble.bodyPadding
                y: bubble.bodyPadding
                width: parent.width - 2 * bubble.bodyPadding
                visible: !bubble.isUser && (bubble.thinking !== "" || bubble.thinkingOpen)
                height: visible ? implicitHeight + Theme.spacingSmall : 0
                thinking: bubble.thinking
                thinkingOpen: bubble.thinkingOpen
            }
            MarkdownContent {
                id: markdown
                x: bubble.bodyPadding
                y: thinkingSection.height + bubble.bodyPadding
                width: parent.width - 2 * bubble.bodyPadding
                markdown: bubble.isUser ? bubble.content : bubble.answerText
                userText: bubble.isUser // shown as typed, not read as markdown
            }
            TypingIndicator {
                id: typing
                objectName: "typingIndicator"
                x: bubble.bodyPadding
                y: markdown.y + markdown.height + (bubble.content !== "" ? Theme.spacingSmall : 0)
                visible: bubble.streaming
            }
        }

        Text {
            objectName: "interruptedNote"
            visible: !bubble.isUser && !bubble.complete && !bubble.streaming
            text: qsTr("This answer was interrupted before it was complete.")
            color: Theme.textMuted
            font.pixelSize: Theme.fontSizeSmall
            font.italic: true
        }

        // An answer that looks finished but was cut short says where it stopped and why.
        Text {
            objectName: "finishNote"
            width: parent.width
            visible: text !== "" && !bubble.streaming
            text: bubble.isUser ? "" : bubble.finishReason === "cancelled" ? qsTr("Stopped.")
                : bubble.finishReason === "maxTokens"
                    ? qsTr("Cut at the %1-token limit of an answer (Settings > Max tokens).")
                          .arg(Number(bubble.generatedTokens).toLocaleString(Qt.locale(), "f", 0))
                : bubble.finishReason === "contextFull" ? qsTr("Cut here: the conversation filled the context.")
                : ""
            color: Theme.textMuted
            font.pixelSize: Theme.fontSizeSmall
            font.italic: true
            wrapMode: Text.Wrap
        }

        Loader {
            active: bubble.editing
            width: parent.width
            sourceComponent: editorComponent
        }

        MessageActions {
            objectName: "messageActions"
            x: bubble.isUser ? parent.width - width : 0
            visible: !bubble.editing && !bubble.streaming
            isUser: bubble.isUser
            revealed: hover.hovered
            editable: bubble.actionsEnabled
            versionIndex: bubble.versionIndex
            versionCount: bubble.versionCount
            model: bubble.model
            onCopyClicked: bubble.copyRequested()
            onRegenerateClicked: bubble.regenerateRequested()
            onEditClicked: bubble.startEdit()
            onVersionClicked: (delta) => bubble.versionRequested(delta)
        }
    }
}
