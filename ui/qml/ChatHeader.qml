import QtQuick
import QtQuick.Layouts
import Latent.Ui

// Above the messages: the conversation's title, and the button that edits its system prompt.
Rectangle {
    id: header

    property string title
    property string systemPrompt

    signal systemPromptEdited(string prompt)

    implicitHeight: 52
    color: Theme.background

    RowLayout {
        anchors.fill: parent
        anchors.leftMargin: Theme.spacingHuge
        anchors.rightMargin: Theme.spacingMedium
        spacing: Theme.spacingSmall

        Text {
            objectName: "conversationTitle"
            Layout.fillWidth: true
            text: header.title !== "" ? header.title : qsTr("New chat")
            color: Theme.text
            font.pixelSize: Theme.fontSizeTitle
            font.weight: Font.DemiBold
            elide: Text.ElideRight
        }
        FlatButton {
            id: promptButton
            objectName: "systemPromptButton"
            text: header.systemPrompt !== "" ? qsTr("System prompt ●") : qsTr("System prompt")
            flat: true
            checked: promptPopup.visible
            onClicked: promptPopup.open()
        }
    }

    Rectangle {
        anchors.left: parent.left
        anchors.right: parent.right
        anchors.bottom: parent.bottom
        height: 1
        color: Theme.border
    }

    SystemPromptPopup {
        id: promptPopup
        x: header.width - width - Theme.spacingMedium
        y: header.height
        prompt: header.systemPrompt
        onSaved: (prompt) => header.systemPromptEdited(prompt)
    }
}
