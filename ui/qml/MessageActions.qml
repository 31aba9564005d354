import QtQuick
import Latent.Ui

// The row under a message: the version switcher "‹ 2 / 3 ›" (shown whenever there are several
// versions), the "⋯" menu, always there (for the keyboard, and for whoever does not hover), then
// Copy, Regenerate or Edit as buttons, shown while the pointer is over the message. Under the
// user's messages, which sit at the right, the row runs from the right edge, so that the "⋯" stays
// beside the bubble's edge rather than left of the hidden buttons.
Row {
    id: actions

    property bool isUser: false
    property bool revealed: false
    property bool editable: true // false while an answer streams: the controller would refuse
    property int versionIndex: 1
    property int versionCount: 1
    property string model
    property int copiedFeedbackMs: 1500

    signal copyClicked()
    signal regenerateClicked()
    signal editClicked()
    signal versionClicked(int delta)

    function copy() {
        copiedFeedback.restart()
        copyClicked()
    }

    spacing: 2
    height: 24
    layoutDirection: isUser ? Qt.RightToLeft : Qt.LeftToRight

    Row {
        objectName: "versionSwitcher"
        visible: actions.versionCount > 1
        FlatButton {
            objectName: "previousVersionButton"
            compact: true
            text: "‹"
            enabled: actions.versionIndex > 1 && actions.editable
            Accessible.name: qsTr("Previous version")
            onClicked: actions.versionClicked(-1)
        }
        Text {
            objectName: "versionLabel"
            height: 24
            verticalAlignment: Text.AlignVCenter
            text: qsTr("%1 / %2").arg(actions.versionIndex).arg(actions.versionCount)
            color: Theme.textMuted
            font.pixelSize: Theme.fontSizeSmall
        }
        FlatButton {
            objectName: "nextVersionButton"
            compact: true
            text: "›"
            enabled: actions.versionIndex < actions.versionCount && actions.editable
            Accessible.name: qsTr("Next version")
            onClicked: actions.versionClicked(1)
        }
    }

    FlatButton {
        id: moreButton
        objectName: "moreActionsButton"
        compact: true
        text: "⋯"
        Accessible.name: qsTr("More actions")
        onClicked: actionMenu.open()

        PopupPanel {
            id: actionMenu
            objectName: "messageActionMenu"
            x: actions.isUser ? moreButton.width - width : 0 // inside the column the message is in
            y: moreButton.height
            width: 160

            Column {
                width: parent.width
                MenuRow {
                    objectName: "copyMenuItem"
                    menu: actionMenu
                    text: qsTr("Copy")
                    onClicked: actions.copy()
                }
                MenuRow {
                    objectName: "regenerateMenuItem"
                    menu: actionMenu
                    visible: !actions.isUser
                    enabled: actions.editable
                    text: qsTr("Regenerate")
                    onClicked: actions.regenerateClicked()
                }
                MenuRow {
                    objectName: "editMenuItem"
                    menu: actionMenu
                    visible: actions.isUser
                    enabled: actions.editable
                    text: qsTr("Edit")
                    onClicked: actions.editClicked()
                }
            }
        }
    }

    Row {
        spacing: 2
        opacity: actions.revealed ? 1 : 0
        enabled: actions.revealed

        Behavior on opacity {
            NumberAnimation { duration: Theme.animationDuration }
        }

        FlatButton {
            objectName: "copyMessageButton"
            compact: true
            text: copiedFeedback.running ? qsTr("Copied") : qsTr("Copy")
            onClicked: actions.copy()
        }
        FlatButton {
            objectName: "regenerateButton"
            compact: true
            visible: !actions.isUser
            enabled: actions.editable
            text: qsTr("Regenerate")
            onClicked: actions.regenerateClicked()
        }
        FlatButton {
            objectName: "editButton"
            compact: true
            visible: actions.isUser
            enabled: actions.editable
            text: qsTr("Edit")
            onClicked: actions.editClicked()
        }
        Text {
            height: 24
            leftPadding: Theme.spacingSmall
            visible: !actions.isUser && actions.model !== ""
            verticalAlignment: Text.AlignVCenter
            text: actions.model
            color: Theme.textMuted
            font.pixelSize: Theme.fontSizeSmall
        }
    }

    Timer {
        id: copiedFeedback
        interval: actions.copiedFeedbackMs
    }
}
