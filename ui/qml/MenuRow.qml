import QtQuick
import QtQuick.Controls.Basic
import Latent.Ui

// One choice in a PopupPanel used as a menu: its text and, when given, a detail line under it.
// Choosing it closes the popup it sits in.
ItemDelegate {
    id: row

    property string detail
    property bool danger: false
    property Popup menu

    width: parent ? parent.width : implicitWidth
    padding: Theme.spacingSmall
    onClicked: if (menu) menu.close()

    background: Rectangle {
        radius: Theme.radiusSmall
        color: row.hovered ? Theme.surfaceHover : "transparent"
    }
    contentItem: Column {
        spacing: 2
        Text {
            width: parent.width
            text: row.text
            color: !row.enabled ? Theme.textDisabled : row.danger ? Theme.danger : Theme.text
            font.pixelSize: Theme.fontSizeBody
            elide: Text.ElideMiddle
        }
        Text {
            width: parent.width
            visible: text !== ""
            text: row.detail
            color: row.enabled ? Theme.textMuted : Theme.textDisabled
            font.pixelSize: Theme.fontSizeSmall
            elide: Text.ElideMiddle
        }
    }
}
