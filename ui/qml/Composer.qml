import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts
import Latent.Ui

// Where the user writes. Enter (or Ctrl+Enter) sends, Shift+Enter starts a new line; while an
// answer streams, Send becomes Stop. Below: speed and context use while generating, and a
// warning when the conversation is about to outgrow the context.
ColumnLayout {
    id: composer

    property bool ready: false // a model is loaded
    property string notReadyHint: qsTr("Load a model to start chatting")
    property bool generating: false
    property int promptReading: 0 // prompt tokens being read before the answer's first token
    property double tokensPerSecond: 0
    property int contextUsed: 0
    property int contextSize: 0
    property string contextWarning // empty: the next answer fits
    property alias text: input.text

    signal sendRequested(string text)
    signal stopRequested()

    readonly property bool canSend: ready && !generating && input.text.trim() !== ""

    // Blank lines around the message go; a leading indent stays (it may be code).
    function send() {
        if (!canSend)
            return
        sendRequested(input.text.replace(/^(\s*\n)+/, "").replace(/\s+$/, ""))
        input.clear()
    }

    // Shift+Enter is a new line (the TextArea's own handling); an input method composing a
    // word keeps Enter for itself.
    function handleReturn(event) {
        if ((event.modifiers & Qt.ShiftModifier) || input.preeditText !== "") {
            event.accepted = false
            return
        }
        event.accepted = true
        send()
    }

    function focusInput() {
        input.forceActiveFocus()
    }

    spacing: Theme.spacingSmall

    Rectangle {
        Layout.fillWidth: true
        implicitHeight: Math.min(row.implicitHeight, 240) + 2 * Theme.spacingSmall
        radius: Theme.radiusLarge
        color: Theme.surface
        border.color: input.activeFocus ? Theme.accent : Theme.border

        RowLayout {
            id: row
            anchors.fill: parent
            anchors.margins: Theme.spacingSmall
            spacing: Theme.spacingSmall

            ScrollView {
                Layout.fillWidth: true
                Layout.fillHeight: true
                TextArea {
                    id: input
                    objectName: "composerInput"
                    wrapMode: TextEdit.Wrap
                    selectByMouse: true
                    color: Theme.text
                    font.pixelSize: Theme.fontSizeBody
                    placeholderText: composer.ready
                        ? qsTr("Message the model (Enter to send, Shift+Enter for a new line)")
                        : composer.notReadyHint
                    placeholderTextColor: Theme.textMuted
                    background: null
                    Keys.onReturnPressed: (event) => composer.handleReturn(event)
                    Keys.onEnterPressed: (event) => composer.handleReturn(event)
                }
            }
            FlatButton {
                objectName: "sendButton"
                Layout.alignment: Qt.AlignBottom
                primary: true
                text: composer.generating ? qsTr("Stop") : qsTr("Send")
                enabled: composer.generating || composer.canSend
                onClicked: composer.generating ? composer.stopRequested() : composer.send()
                ToolTip.visible: composer.generating && hovered
                ToolTip.delay: 500
                ToolTip.text: qsTr("Stop the answer (Esc)")
            }
        }
    }

    GenerationStatus {
        Layout.fillWidth: true
        Layout.leftMargin: Theme.spacingSmall
        Layout.rightMargin: Theme.spacingSmall
        generating: composer.generating
        promptReading: composer.promptReading
        tokensPerSecond: composer.tokensPerSecond
        contextUsed: composer.contextUsed
        contextSize: composer.contextSize
        contextWarning: composer.contextWarning
    }
}
