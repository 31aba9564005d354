import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts
import Latent.Ui

// "Deleted “title” - Undo", after a conversation is deleted. It hides itself after a while (not
// while the pointer rests on it), or when closed; undo stays possible until the next delete.
Rectangle {
    id: toast

    property bool canUndo: false
    property string deletedTitle
    property int timeoutMs: 8000

    signal undoRequested()

    property bool closedByUser: false

    onCanUndoChanged: closedByUser = false
    onDeletedTitleChanged: closedByUser = false

    visible: canUndo && !closedByUser
    implicitWidth: row.implicitWidth + 2 * Theme.spacingMedium
    implicitHeight: row.implicitHeight + 2 * Theme.spacingSmall
    radius: Theme.radiusMedium
    color: Theme.popup
    border.color: Theme.border

    Timer {
        interval: toast.timeoutMs
        running: toast.visible && !hover.hovered
        onTriggered: toast.closedByUser = true
    }

    HoverHandler {
        id: hover
    }

    RowLayout {
        id: row
        anchors.centerIn: parent
        spacing: Theme.spacingSmall

        Text {
            objectName: "toastText"
            Layout.maximumWidth: 320
            text: qsTr("Deleted “%1”").arg(toast.deletedTitle)
            color: Theme.text
            font.pixelSize: Theme.fontSizeBody
            elide: Text.ElideMiddle
        }
        FlatButton {
            objectName: "undoButton"
            text: qsTr("Undo")
            flat: true
            contentItem: Text {
                text: parent.text
                font.pixelSize: Theme.fontSizeBody
                font.weight: Font.DemiBold
                color: Theme.link
                horizontalAlignment: Text.AlignHCenter
                verticalAlignment: Text.AlignVCenter
            }
            onClicked: {
                toast.closedByUser = true
                toast.undoRequested()
            }
        }
        FlatButton {
            objectName: "closeToastButton"
            text: "×"
            flat: true
            compact: true
            Accessible.name: qsTr("Close")
            onClicked: toast.closedByUser = true
        }
    }
}
