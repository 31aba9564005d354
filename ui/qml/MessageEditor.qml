import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts
import Latent.Ui

// Editing a message of the user's in place: the text, then Save & Send (a new version of the
// message, answered again; the old branch is kept) or Cancel.
ColumnLayout {
    id: editor

    property alias text: area.text

    signal sendClicked(string text)
    signal cancelClicked()

    spacing: Theme.spacingSmall
    Component.onCompleted: {
        area.forceActiveFocus()
        area.cursorPosition = area.length
    }

    TextArea {
        id: area
        objectName: "editArea"
        Layout.fillWidth: true
        wrapMode: TextEdit.Wrap
        selectByMouse: true
        color: Theme.text
        font.pixelSize: Theme.fontSizeBody
        padding: Theme.spacingMedium
        background: Rectangle {
            radius: Theme.radiusLarge
            color: Theme.surface
            border.color: area.activeFocus ? Theme.accent : Theme.border
        }
        Keys.onEscapePressed: editor.cancelClicked()
    }
    RowLayout {
        Layout.alignment: Qt.AlignRight
        spacing: Theme.spacingSmall
        FlatButton {
            objectName: "cancelEditButton"
            text: qsTr("Cancel")
            onClicked: editor.cancelClicked()
        }
        FlatButton {
            objectName: "saveEditButton"
            text: qsTr("Save & Send")
            primary: true
            enabled: area.text.trim() !== ""
            onClicked: editor.sendClicked(area.text.trim())
        }
    }
}
