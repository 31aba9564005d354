import QtQuick
import Latent.Ui

// An answer's thinking (R1's <think> block, or a remote model's reasoning_content, which the app
// stores the same way): collapsed under a "Thinking" line by default, dimmed when opened, so that
// the answer reads first. While the model is still thinking the line says so.
Column {
    id: section

    property string thinking
    property bool thinkingOpen: false // the model is still thinking
    property bool expanded: false

    spacing: Theme.spacingTiny

    Text {
        id: header
        objectName: "thinkingHeader"
        text: (section.expanded ? "\u25BE " : "\u25B8 ")
              + (section.thinkingOpen ? qsTr("Thinking\u2026") : qsTr("Thinking"))
        color: Theme.textMuted
        font.pixelSize: Theme.fontSizeSmall
        Accessible.role: Accessible.Button
        Accessible.name: section.expanded ? qsTr("Hide the thinking") : qsTr("Show the thinking")
        Accessible.onPressAction: section.expanded = !section.expanded

        MouseArea {
            anchors.fill: parent
            cursorShape: Qt.PointingHandCursor
            onClicked: section.expanded = !section.expanded
        }
    }

    Rectangle {
        objectName: "thinkingBody"
        visible: section.expanded
        width: section.width
        height: visible ? thinkingText.height : 0
        color: "transparent"

        Rectangle {
            width: 2
            height: parent.height
            color: Theme.border
        }
        TextEdit {
            id: thinkingText
            objectName: "thinkingText"
            x: Theme.spacingSmall + 2
            width: parent.width - x
            text: section.thinking
            textFormat: TextEdit.PlainText
            wrapMode: TextEdit.Wrap
            readOnly: true
            selectByMouse: true
            color: Theme.textMuted
            selectionColor: Theme.selection
            selectedTextColor: Theme.text
            font.pixelSize: Theme.fontSizeBody
        }
    }
}
