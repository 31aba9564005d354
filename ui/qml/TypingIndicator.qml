import QtQuick
import Latent.Ui

// Three dots that pulse while an answer is being written.
Row {
    id: indicator

    property bool running: visible

    spacing: 4

    Repeater {
        model: 3
        delegate: Rectangle {
            id: dot
            required property int index
            width: 6
            height: 6
            radius: 3
            color: Theme.textMuted

            SequentialAnimation on opacity {
                running: indicator.running
                loops: Animation.Infinite
                alwaysRunToEnd: true
                PropertyAction { value: 0.3 }
                PauseAnimation { duration: dot.index * 160 }
                NumberAnimation { to: 1; duration: 320 }
                NumberAnimation { to: 0.3; duration: 320 }
                PauseAnimation { duration: (2 - dot.index) * 160 }
            }
        }
    }
}
