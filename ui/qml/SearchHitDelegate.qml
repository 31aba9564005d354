import QtQuick
import QtQuick.Layouts
import Latent.Ui

// One search hit: the conversation's title and the matching passage, with the words that
// matched (between the search's [ and ] markers) in bold.
Rectangle {
    id: hit

    required property string title
    required property string snippet

    signal opened()

    // The snippet is plain text: escape it before the markers become tags.
    function styledSnippet(text) {
        const escaped = text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")
        return escaped.replace(/\[([^\[\]]*)\]/g, "<b>$1</b>")
    }

    implicitHeight: column.implicitHeight + 2 * Theme.spacingSmall
    radius: Theme.radiusSmall
    color: hover.hovered ? Theme.surfaceHover : "transparent"

    HoverHandler {
        id: hover
        cursorShape: Qt.PointingHandCursor
    }

    TapHandler {
        onTapped: hit.opened()
    }

    ColumnLayout {
        id: column
        anchors.left: parent.left
        anchors.right: parent.right
        anchors.verticalCenter: parent.verticalCenter
        anchors.leftMargin: Theme.spacingMedium
        anchors.rightMargin: Theme.spacingMedium
        spacing: 2

        Text {
            Layout.fillWidth: true
            text: hit.title !== "" ? hit.title : qsTr("New chat")
            color: Theme.text
            font.pixelSize: Theme.fontSizeBody
            font.weight: Font.DemiBold
            elide: Text.ElideRight
        }
        Text {
            objectName: "snippet"
            Layout.fillWidth: true
            text: hit.styledSnippet(hit.snippet)
            textFormat: Text.StyledText
            color: Theme.textMuted
            font.pixelSize: Theme.fontSizeSmall
            wrapMode: Text.Wrap
            maximumLineCount: 3
            elide: Text.ElideRight
        }
    }
}
