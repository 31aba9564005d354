import QtQuick
import QtQuick.Controls.Basic
import Latent.Ui

// An error the user should read: its title, the message with what to do (selectable, to copy a
// path from it), and Dismiss. A newer error replaces the one shown. The banner is as tall as its
// text up to `collapsedLines` lines of the message; a longer message is cut there, with Details
// to read all of it, scrolling past `expandedLines`. So an error never pushes the chat and the
// composer off the window.
//
// Laid out with anchors, not Layouts: the message's height follows its width (it wraps), which
// a RowLayout measured over and over ("Polish loop detected") while it grew the banner to most
// of the window.
Rectangle {
    id: banner

    property string title
    property string message
    property int collapsedLines: 3
    property int expandedLines: 12
    property bool expanded: false

    readonly property bool truncated: messageText.lineCount > collapsedLines

    signal dismissed()

    function show(newTitle, newMessage) {
        title = newTitle
        message = newMessage
        expanded = false
    }

    function dismiss() {
        title = ""
        message = ""
        expanded = false
        dismissed()
    }

    visible: title !== "" || message !== ""
    onExpandedChanged: messageView.contentY = 0
    implicitHeight: Math.max(texts.height, dismissButton.height) + 2 * Theme.spacingMedium
    radius: Theme.radiusMedium
    color: Theme.dangerBackground
    border.color: Theme.danger
    border.width: 1

    Column {
        id: texts
        anchors.left: parent.left
        anchors.right: dismissButton.left
        anchors.top: parent.top
        anchors.margins: Theme.spacingMedium
        spacing: Theme.spacingTiny

        Text {
            objectName: "errorTitle"
            width: parent.width
            visible: text !== ""
            text: banner.title
            color: Theme.danger
            font.pixelSize: Theme.fontSizeBody
            font.weight: Font.DemiBold
            wrapMode: Text.Wrap
            maximumLineCount: 2
            elide: Text.ElideRight
        }
        Flickable {
            id: messageView
            objectName: "errorMessageView"

            readonly property real lineHeight: messageText.lineCount > 0 ? messageText.contentHeight / messageText.lineCount : 0

            width: parent.width
            visible: banner.message !== ""
            height: Math.min(messageText.contentHeight,
                             lineHeight * (banner.expanded ? banner.expandedLines : banner.collapsedLines))
            contentWidth: width
            contentHeight: messageText.contentHeight
            clip: true
            interactive: banner.expanded && contentHeight > height
            boundsBehavior: Flickable.StopAtBounds
            ScrollBar.vertical: ScrollBar {
                policy: messageView.interactive ? ScrollBar.AlwaysOn : ScrollBar.AlwaysOff
            }

            TextEdit {
                id: messageText
                objectName: "errorMessage"
                width: messageView.width - (banner.expanded ? Theme.spacingSmall : 0) // room for the scroll bar
                text: banner.message
                color: Theme.text
                font.pixelSize: Theme.fontSizeBody
                wrapMode: TextEdit.Wrap
                textFormat: TextEdit.PlainText
                readOnly: true
                selectByMouse: true
                selectionColor: Theme.accent
                selectedTextColor: Theme.accentText
            }
        }
        FlatButton {
            objectName: "detailsButton"
            visible: banner.truncated
            compact: true
            text: banner.expanded ? qsTr("Less") : qsTr("Details")
            onClicked: banner.expanded = !banner.expanded
        }
    }
    FlatButton {
        id: dismissButton
        objectName: "dismissButton"
        anchors.top: parent.top
        anchors.right: parent.right
        anchors.margins: Theme.spacingMedium
        text: qsTr("Dismiss")
        onClicked: banner.dismiss()
    }
}
