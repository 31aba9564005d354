import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts
import Latent.Ui

// A model is loading: which file, how far along, and Cancel. Once every weight is read, a large
// model still takes seconds to be made ready (its cache, its first checks): that is said, rather
// than a progress of 100% that seems stuck.
Rectangle {
    id: pane

    property string modelPath
    property double progress: 0 // 0..1

    readonly property string fileName: modelPath.substring(modelPath.lastIndexOf("/") + 1)

    signal cancelRequested()

    implicitHeight: row.implicitHeight + 2 * Theme.spacingMedium
    radius: Theme.radiusMedium
    color: Theme.sidebar
    border.color: Theme.border

    RowLayout {
        id: row
        anchors.fill: parent
        anchors.margins: Theme.spacingMedium
        spacing: Theme.spacingMedium

        ColumnLayout {
            Layout.fillWidth: true
            spacing: Theme.spacingSmall

            Text {
                objectName: "loadingText"
                Layout.fillWidth: true
                text: pane.progress < 1 ? qsTr("Loading %1… %2%").arg(pane.fileName).arg(Math.round(pane.progress * 100))
                                        : qsTr("Preparing the model… (%1)").arg(pane.fileName)
                color: Theme.text
                font.pixelSize: Theme.fontSizeBody
                elide: Text.ElideMiddle
            }
            ProgressBar {
                id: bar
                objectName: "loadProgress"
                Layout.fillWidth: true
                value: pane.progress
                background: Rectangle {
                    implicitHeight: 4
                    radius: 2
                    color: Theme.border
                }
                contentItem: Item {
                    implicitHeight: 4
                    Rectangle {
                        width: bar.visualPosition * parent.width
                        height: parent.height
                        radius: 2
                        color: Theme.accent
                    }
                }
            }
        }
        FlatButton {
            objectName: "cancelLoadButton"
            text: qsTr("Cancel")
            onClicked: pane.cancelRequested()
        }
    }
}
