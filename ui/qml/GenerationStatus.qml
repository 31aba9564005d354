import QtQuick
import QtQuick.Layouts
import Latent.Ui

// Under the composer: while an answer streams, the prompt being read and then the answer's speed,
// and how much of the context the conversation fills (a thin bar); and, whenever it is so, the
// warning that the context is nearly full, with what helps.
ColumnLayout {
    id: status

    property bool generating: false
    property int promptReading: 0 // prompt tokens being read before the first answer token
    property double tokensPerSecond: 0
    property int contextUsed: 0
    property int contextSize: 0
    property string contextWarning // empty: the next answer fits

    function tokens(count) { return Number(count).toLocaleString(Qt.locale(), "f", 0) }

    readonly property real contextFraction: contextSize > 0 ? Math.min(1, contextUsed / contextSize) : 0

    spacing: Theme.spacingTiny

    RowLayout {
        objectName: "generationStats"
        Layout.fillWidth: true
        visible: status.generating
        spacing: Theme.spacingMedium

        Text {
            objectName: "promptReading"
            visible: status.promptReading > 0
            text: qsTr("Reading the prompt: %1 tokens").arg(status.tokens(status.promptReading))
            color: Theme.textMuted
            font.pixelSize: Theme.fontSizeSmall
        }
        // A speed needs two tokens: until then it would read "0.0 tokens/s".
        Text {
            objectName: "tokensPerSecond"
            visible: status.promptReading === 0 && status.tokensPerSecond > 0
            text: qsTr("%1 tokens/s").arg(Number(status.tokensPerSecond).toLocaleString(Qt.locale(), "f", 1))
            color: Theme.textMuted
            font.pixelSize: Theme.fontSizeSmall
        }
        Text {
            objectName: "contextUsed"
            // A remote model whose server did not say its context: the tokens used, the size unknown.
            visible: status.contextSize > 0 || status.contextUsed > 0
            text: status.contextSize > 0
                  ? qsTr("Context %1 / %2").arg(status.tokens(status.contextUsed)).arg(status.tokens(status.contextSize))
                  : qsTr("Context %1 tokens, size unknown").arg(status.tokens(status.contextUsed))
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
                color: status.contextWarning !== "" ? Theme.warning : Theme.accent
            }
        }
        Item {
            Layout.fillWidth: true
        }
    }

    Text {
        objectName: "contextWarning"
        Layout.fillWidth: true
        visible: text !== ""
        text: status.contextWarning
        color: Theme.warning
        font.pixelSize: Theme.fontSizeSmall
        wrapMode: Text.Wrap
    }
}
