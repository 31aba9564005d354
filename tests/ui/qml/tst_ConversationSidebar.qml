import QtQuick
import Latent.Ui

Item {
    width: 400
    height: 600

    // A stand-in for ChatController.conversations, with its roles.
    ListModel {
        id: conversationModel
        ListElement { conversationId: 3; title: "Borrow checker"; updatedText: "today 14:02" }
        ListElement { conversationId: 2; title: "SQL window functions"; updatedText: "Mar 3" }
        ListElement { conversationId: 1; title: ""; updatedText: "Mar 1" }
    }

    Component {
        id: sidebarComponent
        ConversationSidebar {
            width: 280
            height: 600
            conversations: conversationModel
            currentConversationId: 2
            searchDelayMs: 10
        }
    }

    ComponentTestCase {
        name: "ConversationSidebar"

        function rows(sidebar) {
            const list = named(sidebar, "conversationList")
            waitForItemPolished(list)
            const found = []
            for (let i = 0; i < list.count; ++i)
                found.push(list.itemAtIndex(i))
            return found
        }

        function test_listsConversationsAndHighlightsTheCurrentOne() {
            const sidebar = create(sidebarComponent)
            const shown = rows(sidebar)
            compare(shown.length, 3)
            compare(named(shown[0], "conversationTitle").text, "Borrow checker")
            compare(named(shown[2], "conversationTitle").text, "New chat", "an untitled one")
            compare(shown.map(row => row.current), [false, true, false])
            sidebar.currentConversationId = 3
            compare(shown.map(row => row.current), [true, false, false])
        }

        function test_clickSelects() {
            const sidebar = create(sidebarComponent)
            const selected = spyOn(sidebar, "conversationSelected")
            mouseClick(rows(sidebar)[0])
            compare(selected.count, 1)
            compare(selected.signalArguments[0][0], 3)
        }

        function test_newChat() {
            const sidebar = create(sidebarComponent)
            const newChat = spyOn(sidebar, "newChatRequested")
            mouseClick(named(sidebar, "newChatButton"))
            compare(newChat.count, 1)
        }

        function test_renameInPlace() {
            const sidebar = create(sidebarComponent)
            const renamed = spyOn(sidebar, "renameRequested")
            const row = rows(sidebar)[1]
            mouseDoubleClickSequence(row)
            verify(row.editing)
            const field = named(row, "renameField")
            verify(field.activeFocus)
            field.text = "Window functions"
            keyClick(Qt.Key_Return)
            verify(!row.editing)
            compare(renamed.count, 1)
            compare(renamed.signalArguments[0][0], 2)
            compare(renamed.signalArguments[0][1], "Window functions")
        }

        function test_renameCancelledByEscape() {
            const sidebar = create(sidebarComponent)
            const renamed = spyOn(sidebar, "renameRequested")
            const row = rows(sidebar)[0]
            row.startRename()
            named(row, "renameField").text = "Something else"
            keyClick(Qt.Key_Escape)
            verify(!row.editing)
            compare(renamed.count, 0)
        }

        function test_contextMenuRenamesAndDeletes() {
            const sidebar = create(sidebarComponent)
            const deleted = spyOn(sidebar, "deleteRequested")
            const row = rows(sidebar)[2]
            mouseClick(row, 10, 10, Qt.RightButton)
            const deleteItem = named(sidebar, "deleteMenuItem")
            tryCompare(deleteItem, "visible", true)
            mouseClick(deleteItem)
            compare(deleted.count, 1)
            compare(deleted.signalArguments[0][0], 1)

            mouseClick(row, 10, 10, Qt.RightButton)
            const renameItem = named(sidebar, "renameMenuItem")
            tryCompare(renameItem, "visible", true)
            mouseClick(renameItem)
            tryVerify(() => row.editing)
        }

        // Every row has a visible "⋯" button for its menu: no right-click or hover needed.
        function test_menuButtonRenamesAndDeletes() {
            const sidebar = create(sidebarComponent)
            const deleted = spyOn(sidebar, "deleteRequested")
            const row = rows(sidebar)[1]
            const more = named(row, "conversationMenuButton")
            verify(more.visible && more.width > 0)
            const title = named(row, "conversationTitle")
            verify(title.mapToItem(row, title.width, 0).x <= more.mapToItem(row, 0, 0).x + 1, "the title leaves the button room")
            mouseClick(more)
            const deleteItem = named(sidebar, "deleteMenuItem")
            tryCompare(deleteItem, "visible", true)
            mouseClick(deleteItem)
            compare(deleted.count, 1)
            compare(deleted.signalArguments[0][0], 2)

            mouseClick(more)
            const renameItem = named(sidebar, "renameMenuItem")
            tryCompare(renameItem, "visible", true)
            mouseClick(renameItem)
            tryVerify(() => row.editing)
        }

        function test_searchIsDebouncedAndShowsHits() {
            const sidebar = create(sidebarComponent)
            const searched = spyOn(sidebar, "searchRequested")
            const opened = spyOn(sidebar, "hitOpened")
            sidebar.focusSearch()
            keyClick("s")
            keyClick("q")
            keyClick("l")
            tryCompare(searched, "count", 1)
            compare(searched.signalArguments[0][0], "sql")
            verify(!named(sidebar, "conversationList").visible)

            sidebar.searchHits = [
                { conversationId: 2, messageId: 17, title: "SQL window functions", snippet: "use [sql] <windows> & [rank]" }
            ]
            const hits = named(sidebar, "searchHits")
            verify(hits.visible)
            compare(hits.count, 1)
            const hit = hits.itemAtIndex(0)
            compare(named(hit, "snippet").text, "use <b>sql</b> &lt;windows&gt; &amp; <b>rank</b>")
            mouseClick(hit)
            compare(opened.count, 1)
            compare(opened.signalArguments[0][0], 2)
            compare(opened.signalArguments[0][1], 17)

            keyClick(Qt.Key_Escape)
            verify(named(sidebar, "conversationList").visible, "an empty search shows the conversations")
        }
    }
}
