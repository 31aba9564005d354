import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts
import Latent.Ui

// A fenced code block of an answer: its language, the highlighted code in a monospace face that
// scrolls sideways instead of wrapping, Copy (which says "Copied" for a moment), and, while a file
// is open in the code editor, Insert at cursor and Replace selection / file (EditorLink: the
// window shows a diff preview and applies the change only when confirmed).
Rectangle {
    id: block

    property string language
    property string code
    property string html // the code highlighted as rich text, from Markdown.segments
    property int copiedFeedbackMs: 1500

    signal copied()

    function copy() {
        Clipboard.copy(code)
        copiedFeedback.restart()
        copied()
    }

    implicitWidth: codeText.implicitWidth + 2 * Theme.spacingMedium
    implicitHeight: column.implicitHeight
    radius: Theme.radiusMedium
    color: Theme.codeBackground
    border.color: Theme.border

    Timer {
        id: copiedFeedback
        interval: block.copiedFeedbackMs
    }

    ColumnLayout {
        id: column
        anchors.left: parent.left
        anchors.right: parent.right
        spacing: 0

        RowLayout {
            Layout.fillWidth: true
            Layout.leftMargin: Theme.spacingMedium
            Layout.rightMargin: Theme.spacingTiny
            Layout.topMargin: Theme.spacingTiny
            Layout.bottomMargin: Theme.spacingTiny

            Text {
                objectName: "languageLabel"
                Layout.fillWidth: true
                text: block.language !== "" ? block.language : qsTr("code")
                color: Theme.textMuted
                font.pixelSize: Theme.fontSizeSmall
                elide: Text.ElideRight
            }
            FlatButton {
                objectName: "insertCodeButton"
                compact: true
                visible: EditorLink.available
                text: qsTr("Insert at cursor")
                onClicked: EditorLink.insertAtCursor(block.code)
            }
            FlatButton {
                objectName: "replaceCodeButton"
                compact: true
                visible: EditorLink.available
                text: EditorLink.hasSelection ? qsTr("Replace selection") : qsTr("Replace file")
                onClicked: EditorLink.replaceSelectionOrFile(block.code)
            }
            FlatButton {
                objectName: "copyCodeButton"
                compact: true
                text: copiedFeedback.running ? qsTr("Copied") : qsTr("Copy")
                onClicked: block.copy()
            }
        }
        Rectangle {
            Layout.fillWidth: true
            implicitHeight: 1
            color: Theme.border
        }
        Flickable {
            id: scroller
            Layout.fillWidth: true
            implicitHeight: codeText.implicitHeight + 2 * Theme.spacingMedium
                            + (horizontalBar.visible ? horizontalBar.height : 0)
            contentWidth: codeText.implicitWidth + 2 * Theme.spacingMedium
            contentHeight: height
            flickableDirection: Flickable.HorizontalFlick
            boundsBehavior: Flickable.StopAtBounds
            clip: true

            TextEdit {
                id: codeText
                objectName: "codeText"
                x: Theme.spacingMedium
                y: Theme.spacingMedium
                text: block.html
                textFormat: TextEdit.RichText
                font.family: Theme.monospaceFamily
                font.pixelSize: Theme.fontSizeBody - 1
                color: Theme.text
                readOnly: true
                selectByMouse: true
                selectionColor: Theme.accent
                selectedTextColor: Theme.accentText
            }

            ScrollBar.horizontal: ScrollBar {
                id: horizontalBar
                visible: scroller.contentWidth > scroller.width
                policy: ScrollBar.AlwaysOn
            }
        }
    }
}
