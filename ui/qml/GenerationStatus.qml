import QtQuick
import QtQuick.Layouts
import Latent.Ui

// Under the composer: while an answer streams, its speed and how much of the context the
// conversation fills (a thin bar); and, whenever it is so, the warning that the context is
// nearly full.
ColumnLayout {
    id: status

    property bool generating: false
    property double tokensPerSecond: 0
    property int contextUsed: 0
    property int contextSize: 0
    property bool contextNearlyFull: false

    readonly property real contextFraction: contextSize > 0 ? Math.min(1, contextUsed / contextSize) : 0

    spacing: Theme.spacingTiny

    RowLayout {
        objectName: "generationStats"
        Layout.fillWidth: true
        visible: status.generating
        spacing: Theme.spacingMedium

        Text {
            objectName: "tokensPerSecond"
            text: qsTr("%1 tokens/s").arg(Number(status.tokensPerSecond).toLocaleString(Qt.locale(), "f", 1))
            color: Theme.textMuted
            font.pixelSize: Theme.fontSizeSmall
        }
        Text {
            objectName: "contextUsed"
            visible: status.contextSize > 0
            text: qsTr("Context %1 / %2").arg(status.contextUsed).arg(status.contextSize)
            color: Theme.textMuted
            font.pixelSize: Theme.fontSizeSmall
        }
        Rectangle {
            objectName: "contextBar"
            Layout.fillWidth: true
            Layout.maximumWidth: 200
            visible: status.contextSize > 0
            implicitHeight: 3
            radius: 1.5
            color: Theme.border

            Rectangle {
                width: parent.width * status.contextFraction
                height: parent.height
                radius: parent.radius
                color: status.contextNearlyFull ? Theme.warning : Theme.accent
            }
        }
        Item {
            Layout.fillWidth: true
        }
    }

    Text {
        objectName: "contextWarning"
        Layout.fillWidth: true
        visible: status.contextNearlyFull
        text: qsTr("The context is nearly full: start a new conversation or raise the context size in Settings")
        color: Theme.warning
        font.pixelSize: Theme.fontSizeSmall
        wrapMode: Text.Wrap
    }
}
