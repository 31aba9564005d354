import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts
import Latent.Ui

// One conversation in the sidebar: its title and when it last changed. A click opens it; a
// double-click renames it in place (Enter or leaving the field keeps the name, Escape cancels);
// the "⋯" button, always there, and a right-click ask for its menu (Rename, Delete).
Rectangle {
    id: row

    required property double conversationId
    required property string title
    required property string updatedText
    property bool current: false
    property bool editing: false

    signal selected()
    signal renamed(string newTitle)
    signal contextMenuRequested(real x, real y)

    function startRename() {
        editor.text = title
        editing = true
        editor.forceActiveFocus()
        editor.selectAll()
    }

    function finishRename(keep) {
        if (!editing)
            return
        editing = false
        const newTitle = editor.text.trim()
        if (keep && newTitle !== "" && newTitle !== title)
            renamed(newTitle)
    }

    implicitHeight: 52
    radius: Theme.radiusSmall
    color: current ? Theme.selection : mouse.containsMouse ? Theme.surfaceHover : "transparent"

    // A MouseArea, not a TapHandler: it reads the platform's double-click event.
    MouseArea {
        id: mouse
        anchors.fill: parent
        hoverEnabled: true
        acceptedButtons: Qt.LeftButton | Qt.RightButton
        onClicked: (mouseEvent) => {
            if (mouseEvent.button === Qt.RightButton)
                row.contextMenuRequested(mouseEvent.x, mouseEvent.y)
            else
                row.selected()
        }
        onDoubleClicked: (mouseEvent) => {
            if (mouseEvent.button === Qt.LeftButton)
                row.startRename()
        }
    }

    RowLayout {
        anchors.fill: parent
        anchors.leftMargin: Theme.spacingMedium
        anchors.rightMargin: Theme.spacingTiny
        spacing: Theme.spacingTiny

        ColumnLayout {
            Layout.fillWidth: true
            Layout.fillHeight: true
            spacing: 2

            Text {
                objectName: "conversationTitle"
                Layout.fillWidth: true
                visible: !row.editing
                text: row.title !== "" ? row.title : qsTr("New chat")
                color: Theme.text
                font.pixelSize: Theme.fontSizeBody
                font.weight: row.current ? Font.DemiBold : Font.Normal
                elide: Text.ElideRight
            }
            TextField {
                id: editor
                objectName: "renameField"
                Layout.fillWidth: true
                visible: row.editing
                font.pixelSize: Theme.fontSizeBody
                color: Theme.text
                selectByMouse: true
                Keys.onEscapePressed: row.finishRename(false)
                onAccepted: row.finishRename(true)
                onActiveFocusChanged: if (!activeFocus) row.finishRename(true)
            }
            Text {
                Layout.fillWidth: true
                text: row.updatedText
                color: Theme.textMuted
                font.pixelSize: Theme.fontSizeSmall
                elide: Text.ElideRight
            }
        }

        FlatButton {
            id: moreButton
            objectName: "conversationMenuButton"
            compact: true
            text: "⋯"
            Accessible.name: qsTr("Conversation actions")
            onClicked: {
                const below = moreButton.mapToItem(row, 0, moreButton.height)
                row.contextMenuRequested(below.x, below.y)
            }
        }
    }
}
