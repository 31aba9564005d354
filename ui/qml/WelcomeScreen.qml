import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts
import Latent.Ui

// The first run: what a GGUF model is, the button that opens one (near the top, so that it
// shows in a small window), and which DeepSeek model fits this machine.
Rectangle {
    id: welcome

    signal openModelRequested()

    color: Theme.background

    ScrollView {
        id: scroller
        objectName: "welcomeScroller"
        anchors.fill: parent
        contentWidth: availableWidth
        // Shown, not only while scrolling, when the page is taller than the window.
        ScrollBar.vertical.policy: contentHeight > height ? ScrollBar.AlwaysOn : ScrollBar.AsNeeded

        ColumnLayout {
            width: Math.min(scroller.availableWidth - 2 * Theme.spacingHuge, 720)
            x: (scroller.availableWidth - width) / 2
            spacing: Theme.spacingLarge

            Item {
                implicitHeight: Theme.spacingHuge
            }
            Text {
                objectName: "appName"
                text: Qt.application.name
                color: Theme.text
                font.pixelSize: 36
                font.weight: Font.DemiBold
            }
            Text {
                objectName: "appVersion"
                text: qsTr("Version %1").arg(Qt.application.version)
                color: Theme.textMuted
                font.pixelSize: Theme.fontSizeBody
            }
            Text {
                objectName: "modelStatus"
                Layout.topMargin: Theme.spacingSmall
                text: qsTr("No model loaded")
                color: Theme.text
                font.pixelSize: Theme.fontSizeTitle
                font.weight: Font.DemiBold
            }
            Text {
                Layout.fillWidth: true
                text: qsTr("Latent runs DeepSeek models on this computer; nothing you write leaves it. "
                           + "A model is one GGUF file that holds all its weights. Download one, for "
                           + "example from Hugging Face (search for the model's name and “GGUF”), "
                           + "then open it here.")
                color: Theme.text
                font.pixelSize: Theme.fontSizeBody
                lineHeight: 1.2
                wrapMode: Text.Wrap
            }
            FlatButton {
                objectName: "openModelButton"
                primary: true
                text: qsTr("Open a GGUF model…")
                onClicked: welcome.openModelRequested()
            }
            Text {
                Layout.fillWidth: true
                text: qsTr("Choose a model that fits your memory. Q4_K_M files are a good balance of "
                           + "size and quality; Q8_0 files are nearly twice as large and a little better.")
                color: Theme.textMuted
                font.pixelSize: Theme.fontSizeBody
                lineHeight: 1.2
                wrapMode: Text.Wrap
            }
            Rectangle {
                Layout.fillWidth: true
                implicitHeight: sizeTable.implicitHeight + 2 * Theme.spacingLarge
                radius: Theme.radiusMedium
                color: Theme.sidebar
                border.color: Theme.border

                ModelSizeTable {
                    id: sizeTable
                    objectName: "modelSizeTable"
                    anchors.fill: parent
                    anchors.margins: Theme.spacingLarge
                }
            }
            Item {
                implicitHeight: Theme.spacingHuge
            }
        }
    }
}
