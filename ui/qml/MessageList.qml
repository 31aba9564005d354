import QtQuick
import QtQuick.Controls.Basic
import Latent.Ui

// The messages of the open conversation. Delegates are created lazily and reused, so a chat of
// thousands of messages keeps only the visible few alive. The view follows a streaming answer
// down unless the user scrolled up to read, and scrolls to a message opened from search.
ListView {
    id: list

    // The model's rows have MessageListModel's roles (see app/chat/message_list_model.h).
    property bool generating: false // an answer streams: the messages' actions wait
    // Whether new text keeps the view at the bottom; scrolling up turns it off, back down on.
    property bool followTail: true
    property int highlightedRow: -1

    signal regenerateRequested(double messageId)
    signal editRequested(double messageId, string text)
    signal versionRequested(double messageId, int delta)

    // Near enough to the end to count as "at the bottom" (a line of text).
    readonly property real tailSlack: 48

    function scrollToEnd() {
        followTail = true
        positionViewAtEnd()
    }

    function pinToEnd() {
        if (followTail)
            positionViewAtEnd()
    }

    function showRow(row) {
        followTail = false
        positionViewAtIndex(row, ListView.Center)
        highlightedRow = row
        highlightTimer.restart()
    }

    // Only the user's own scrolling (wheel, drag, scroll bar) decides whether to follow: the
    // view's contentY also moves by itself as lazily created rows replace estimated heights.
    function updateFollowTail() {
        followTail = contentY + height >= contentHeight + originY - tailSlack
    }

    clip: true
    reuseItems: true
    spacing: Theme.spacingLarge
    // Header and footer rather than margins: positionViewAtEnd shows the footer, not a margin.
    header: Item {
        height: Theme.spacingHuge
    }
    footer: Item {
        height: Theme.spacingLarge
    }
    boundsBehavior: Flickable.StopAtBounds

    onMovementStarted: followTail = false
    onMovementEnded: updateFollowTail()
    // Later, once: rows created by one pin change the content height again.
    onContentHeightChanged: if (followTail) Qt.callLater(pinToEnd)
    onCountChanged: if (followTail) Qt.callLater(pinToEnd)
    onModelChanged: scrollToEnd()

    Timer {
        id: highlightTimer
        interval: 1600
        onTriggered: list.highlightedRow = -1
    }

    delegate: MessageBubble {
        id: message
        required property int index
        required role
        required content
        required streaming
        required complete
        required versionIndex
        required versionCount
        required messageId
        required model
        required finishReason
        required generatedTokens
        required thinking
        required answerText
        required thinkingOpen

        x: Math.max(Theme.spacingHuge, (list.width - message.width) / 2)
        width: Math.min(Theme.contentMaxWidth, list.width - 2 * Theme.spacingHuge)
        actionsEnabled: !list.generating
        highlighted: index === list.highlightedRow
        onCopyRequested: Clipboard.copy(content)
        onRegenerateRequested: list.regenerateRequested(messageId)
        onEditRequested: (newText) => list.editRequested(messageId, newText)
        onVersionRequested: (delta) => list.versionRequested(messageId, delta)
        ListView.onReused: editing = false
    }

    ScrollBar.vertical: ScrollBar {
        onPressedChanged: pressed ? list.followTail = false : list.updateFollowTail()
    }

    Column {
        objectName: "emptyState"
        anchors.centerIn: parent
        width: Math.min(parent.width - 2 * Theme.spacingHuge, 420)
        visible: list.count === 0
        spacing: Theme.spacingSmall

        Text {
            width: parent.width
            horizontalAlignment: Text.AlignHCenter
            text: qsTr("What can I help with?")
            color: Theme.text
            font.pixelSize: Theme.fontSizeHeading
            font.weight: Font.DemiBold
            wrapMode: Text.Wrap
        }
        Text {
            width: parent.width
            horizontalAlignment: Text.AlignHCenter
            text: qsTr("Ask a question, paste code to explain or review, or describe what to write.")
            color: Theme.textMuted
            font.pixelSize: Theme.fontSizeBody
            wrapMode: Text.Wrap
        }
    }
}
