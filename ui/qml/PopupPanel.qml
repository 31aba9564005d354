import QtQuick
import QtQuick.Controls.Basic
import Latent.Ui

// A popup on the app's surface color. Its contents use Theme's colors, not the palette: a popup
// in Qt 6.4 copies its parent's palette once, so palette colors would not follow a theme switch.
Popup {
    padding: Theme.spacingTiny

    background: Rectangle {
        color: Theme.popup
        radius: Theme.radiusMedium
        border.color: Theme.border
    }
}
