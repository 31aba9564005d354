import QtQuick
import QtQuick.Controls.Basic
import Latent.Ui

// The app's button: quiet by default, filled with the accent color for the main action of a
// view, and small and borderless (`compact`) for the actions under a message.
Button {
    id: control

    property bool primary: false
    property bool danger: false
    property bool compact: false

    hoverEnabled: true
    padding: compact ? 2 : Theme.spacingSmall
    leftPadding: compact ? Theme.spacingSmall : Theme.spacingMedium
    rightPadding: leftPadding
    font.pixelSize: compact ? Theme.fontSizeSmall : Theme.fontSizeBody

    contentItem: Text {
        text: control.text
        font: control.font
        elide: Text.ElideRight
        horizontalAlignment: Text.AlignHCenter
        verticalAlignment: Text.AlignVCenter
        color: !control.enabled ? Theme.textDisabled
             : control.primary ? Theme.accentText
             : control.danger ? Theme.danger
             : control.compact && !control.hovered ? Theme.textMuted
             : Theme.text
    }

    background: Rectangle {
        implicitHeight: control.compact ? 24 : 34
        implicitWidth: control.compact ? 24 : 64
        radius: Theme.radiusSmall
        color: control.primary ? (!control.enabled ? Theme.surface
                                  : control.hovered || control.down ? Theme.accentHover : Theme.accent)
             : control.down ? Theme.surfaceHover
             : control.hovered || control.checked ? Theme.surface
             : "transparent"
        border.width: control.primary || control.compact || control.flat ? 0 : 1
        border.color: control.visualFocus ? Theme.accent : Theme.border
    }
}
