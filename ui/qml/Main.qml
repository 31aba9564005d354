import QtQuick

// The chat scene. Until a model is loaded it shows who we are and what to do first.
Rectangle {
    id: root

    color: palette.window

    SystemPalette {
        id: palette
        colorGroup: SystemPalette.Active
    }

    Column {
        anchors.centerIn: parent
        spacing: 8

        Text {
            objectName: "appName"
            anchors.horizontalCenter: parent.horizontalCenter
            text: Qt.application.name
            color: palette.windowText
            font.pixelSize: 40
            font.weight: Font.DemiBold
        }
        Text {
            objectName: "appVersion"
            anchors.horizontalCenter: parent.horizontalCenter
            text: qsTr("Version %1").arg(Qt.application.version)
            color: palette.placeholderText
            font.pixelSize: 14
        }
        Text {
            objectName: "modelStatus"
            anchors.horizontalCenter: parent.horizontalCenter
            topPadding: 24
            text: qsTr("No model loaded")
            color: palette.windowText
            font.pixelSize: 18
        }
    }
}
