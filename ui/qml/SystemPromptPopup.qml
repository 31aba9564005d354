import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts
import Latent.Ui

// Edits a conversation's system prompt: the instructions the model reads before the chat.
// Closing without Save (Escape, a click outside) keeps the prompt as it was.
PopupPanel {
    id: popup

    property string prompt

    signal saved(string prompt)

    width: 420
    padding: Theme.spacingLarge
    modal: false
    focus: true
    closePolicy: Popup.CloseOnEscape | Popup.CloseOnPressOutside
    onAboutToShow: {
        editor.text = prompt
        editor.forceActiveFocus()
    }

    ColumnLayout {
        anchors.fill: parent
        spacing: Theme.spacingSmall

        Text {
            Layout.fillWidth: true
            text: qsTr("System prompt")
            color: Theme.text
            font.pixelSize: Theme.fontSizeTitle
            font.weight: Font.DemiBold
        }
        Text {
            Layout.fillWidth: true
            text: qsTr("Instructions the model follows in this conversation, such as “Answer briefly” or “You are a C++ reviewer”.")
            color: Theme.textMuted
            font.pixelSize: Theme.fontSizeSmall
            wrapMode: Text.Wrap
        }
        ScrollView {
            Layout.fillWidth: true
            Layout.preferredHeight: 140
            TextArea {
                id: editor
                objectName: "systemPromptEditor"
                wrapMode: TextEdit.Wrap
                selectByMouse: true
                color: Theme.text
                font.pixelSize: Theme.fontSizeBody
                placeholderText: qsTr("No system prompt")
                placeholderTextColor: Theme.textMuted
                background: Rectangle {
                    color: Theme.background
                    radius: Theme.radiusSmall
                    border.color: editor.activeFocus ? Theme.accent : Theme.border
                }
            }
        }
        RowLayout {
            Layout.alignment: Qt.AlignRight
            spacing: Theme.spacingSmall
            FlatButton {
                text: qsTr("Cancel")
                onClicked: popup.close()
            }
            FlatButton {
                objectName: "saveSystemPromptButton"
                text: qsTr("Save")
                primary: true
                onClicked: {
                    popup.saved(editor.text.trim())
                    popup.close()
                }
            }
        }
    }
}
