import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts
import Latent.Ui

// The sidebar: New chat, search over every message, and the conversations, newest first. It
// reports what the user asks for through signals; whoever places it does the work.
Item {
    id: sidebar

    // Rows with the roles conversationId, title and updatedText.
    property alias conversations: conversationList.model
    property double currentConversationId: 0 // none open
    // What `searchRequested` found: [{conversationId, messageId, title, snippet}].
    property var searchHits: []
    property int searchDelayMs: 250
    readonly property string query: searchField.text.trim()

    signal newChatRequested()
    signal conversationSelected(double conversationId)
    signal renameRequested(double conversationId, string title)
    signal deleteRequested(double conversationId)
    signal searchRequested(string query)
    signal hitOpened(double conversationId, double messageId)

    function focusSearch() {
        searchField.forceActiveFocus()
        searchField.selectAll()
    }

    implicitWidth: Theme.sidebarWidth

    Timer {
        id: searchDelay
        interval: sidebar.searchDelayMs
        onTriggered: sidebar.searchRequested(sidebar.query)
    }

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: Theme.spacingMedium
        spacing: Theme.spacingSmall

        FlatButton {
            objectName: "newChatButton"
            Layout.fillWidth: true
            text: qsTr("New chat")
            onClicked: sidebar.newChatRequested()
        }

        TextField {
            id: searchField
            objectName: "searchField"
            Layout.fillWidth: true
            placeholderText: qsTr("Search conversations")
            placeholderTextColor: Theme.textMuted
            color: Theme.text
            font.pixelSize: Theme.fontSizeBody
            selectByMouse: true
            background: Rectangle {
                implicitHeight: 34
                radius: Theme.radiusSmall
                color: Theme.background
                border.color: searchField.activeFocus ? Theme.accent : Theme.border
            }
            onTextChanged: searchDelay.restart()
            Keys.onEscapePressed: text = ""
        }

        ListView {
            id: hitList
            objectName: "searchHits"
            Layout.fillWidth: true
            Layout.fillHeight: true
            visible: sidebar.query !== ""
            clip: true
            spacing: 2
            model: sidebar.query !== "" ? sidebar.searchHits : []
            delegate: SearchHitDelegate {
                required property var modelData
                width: ListView.view.width
                title: modelData.title
                snippet: modelData.snippet
                onOpened: sidebar.hitOpened(modelData.conversationId, modelData.messageId)
            }
            ScrollBar.vertical: ScrollBar {}

            Text {
                anchors.centerIn: parent
                visible: hitList.count === 0 && !searchDelay.running
                text: qsTr("No messages match")
                color: Theme.textMuted
                font.pixelSize: Theme.fontSizeBody
            }
        }

        ListView {
            id: conversationList
            objectName: "conversationList"
            Layout.fillWidth: true
            Layout.fillHeight: true
            visible: sidebar.query === ""
            clip: true
            spacing: 2
            delegate: ConversationDelegate {
                id: conversationRow
                width: ListView.view.width
                current: conversationId === sidebar.currentConversationId
                onSelected: sidebar.conversationSelected(conversationId)
                onRenamed: (newTitle) => sidebar.renameRequested(conversationId, newTitle)
                onContextMenuRequested: (x, y) => conversationMenu.show(conversationRow, x, y)
            }
            ScrollBar.vertical: ScrollBar {}

            Text {
                anchors.centerIn: parent
                width: parent.width - 2 * Theme.spacingLarge
                visible: conversationList.count === 0
                text: qsTr("No conversations yet")
                color: Theme.textMuted
                font.pixelSize: Theme.fontSizeBody
                horizontalAlignment: Text.AlignHCenter
                wrapMode: Text.Wrap
            }
        }
    }

    PopupPanel {
        id: conversationMenu
        objectName: "conversationMenu"

        property ConversationDelegate target

        function show(row, x, y) {
            target = row
            const position = row.mapToItem(sidebar, x, y)
            conversationMenu.x = Math.min(position.x, sidebar.width - width)
            conversationMenu.y = position.y
            open()
        }

        width: 180

        Column {
            width: parent.width
            MenuRow {
                objectName: "renameMenuItem"
                menu: conversationMenu
                text: qsTr("Rename")
                onClicked: conversationMenu.target.startRename()
            }
            MenuRow {
                objectName: "deleteMenuItem"
                menu: conversationMenu
                text: qsTr("Delete")
                danger: true
                onClicked: sidebar.deleteRequested(conversationMenu.target.conversationId)
            }
        }
    }
}
