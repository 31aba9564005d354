import QtQuick
import QtQuick.Layouts
import Latent.Ui

// An error the user should read: its title, the message with what to do (selectable, to copy a
// path from it), and Dismiss. A newer error replaces the one shown.
Rectangle {
    id: banner

    property string title
    property string message

    signal dismissed()

    function show(newTitle, newMessage) {
        title = newTitle
        message = newMessage
    }

    function dismiss() {
        title = ""
        message = ""
        dismissed()
    }

    visible: title !== "" || message !== ""
    implicitHeight: content.implicitHeight + 2 * Theme.spacingMedium
    radius: Theme.radiusMedium
    color: Theme.dangerBackground
    border.color: Theme.danger
    border.width: 1

    RowLayout {
        id: content
        anchors.fill: parent
        anchors.margins: Theme.spacingMedium
        spacing: Theme.spacingMedium

        ColumnLayout {
            Layout.fillWidth: true
            spacing: Theme.spacingTiny

            Text {
                objectName: "errorTitle"
                Layout.fillWidth: true
                visible: text !== ""
                text: banner.title
                color: Theme.danger
                font.pixelSize: Theme.fontSizeBody
                font.weight: Font.DemiBold
                wrapMode: Text.Wrap
            }
            TextEdit {
                objectName: "errorMessage"
                Layout.fillWidth: true
                visible: text !== ""
                text: banner.message
                color: Theme.text
                font.pixelSize: Theme.fontSizeBody
                wrapMode: TextEdit.Wrap
                textFormat: TextEdit.PlainText
                readOnly: true
                selectByMouse: true
                selectionColor: Theme.accent
                selectedTextColor: Theme.accentText
            }
        }
        FlatButton {
            objectName: "dismissButton"
            Layout.alignment: Qt.AlignTop
            text: qsTr("Dismiss")
            onClicked: banner.dismiss()
        }
    }
}
