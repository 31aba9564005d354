import QtQuick
import Latent.Ui

Item {
    width: 800
    height: 600

    // A stand-in for ChatController.messages, with MessageListModel's roles.
    ListModel {
        id: messageModel

        function fill(count) {
            clear()
            for (let i = 0; i < count; ++i)
                add(i % 2 === 0 ? "user" : "assistant", "Message number " + i + "\n\nwith a second paragraph.")
        }

        function add(role, content) {
            append({ messageId: count + 1, parentId: count, role: role, content: content, complete: true,
                     streaming: false, model: "deepseek-coder", createdAt: "", versionIndex: 1, versionCount: 1,
                     finishReason: "", generatedTokens: 0, thinking: "", answerText: content, thinkingOpen: false })
        }
    }

    Component {
        id: listComponent
        MessageList {
            width: 800
            height: 600
            model: messageModel
        }
    }

    ComponentTestCase {
        name: "MessageList"

        function atEnd(list) {
            return list.contentY + list.height >= list.contentHeight + list.originY + list.bottomMargin - 1
        }

        function test_longChatsCreateOnlyTheVisibleDelegates() {
            messageModel.fill(5000)
            const list = create(listComponent)
            waitForItemPolished(list)
            const alive = findAll(list.contentItem, "messageBody").length
            verify(alive > 0 && alive < 60, alive + " delegates alive for 5000 messages")
            tryVerify(() => atEnd(list), 1000, "opens at the newest message")
        }

        function test_followsAStreamingAnswerUnlessScrolledUp() {
            messageModel.fill(40)
            const list = create(listComponent)
            waitForItemPolished(list)
            tryVerify(() => atEnd(list))

            messageModel.add("assistant", "")
            messageModel.setProperty(messageModel.count - 1, "streaming", true)
            for (let i = 0; i < 20; ++i)
                messageModel.setProperty(messageModel.count - 1, "content", "Line of a streaming answer.\n\n".repeat(i))
            tryVerify(() => atEnd(list), 1000, "pinned to the bottom while streaming")

            mouseWheel(list, 400, 300, 0, 360) // the user scrolls up to read
            tryVerify(() => !list.moving)
            verify(!list.followTail)
            messageModel.setProperty(messageModel.count - 1, "content", "More text.\n\n".repeat(30))
            waitForItemPolished(list)
            verify(!atEnd(list), "stays where the user is reading")

            list.scrollToEnd()
            verify(list.followTail)
            tryVerify(() => atEnd(list))
        }

        function test_showRowScrollsToASearchHit() {
            messageModel.fill(500)
            const list = create(listComponent)
            waitForItemPolished(list)
            list.showRow(120)
            waitForItemPolished(list)
            const item = list.itemAtIndex(120)
            verify(item, "the row is created")
            verify(item.highlighted)
            const top = item.mapToItem(list, 0, 0).y
            verify(top >= 0 && top < list.height, "and on screen")
            verify(!list.followTail)
        }

        function test_actionsReportTheMessage() {
            messageModel.fill(3)
            const list = create(listComponent)
            waitForItemPolished(list)
            const regenerate = spyOn(list, "regenerateRequested")
            const version = spyOn(list, "versionRequested")
            const edit = spyOn(list, "editRequested")
            const answer = list.itemAtIndex(1)
            answer.regenerateRequested()
            answer.versionRequested(-1)
            list.itemAtIndex(2).editRequested("Again")
            compare(regenerate.signalArguments[0][0], 2)
            compare(Array.from(version.signalArguments[0]), [2, -1])
            compare(Array.from(edit.signalArguments[0]), [3, "Again"])
        }

        // The "⋯" menu shows without hovering, for the keyboard and for whoever does not hover.
        function test_moreMenuOffersTheActions() {
            messageModel.fill(3)
            const list = create(listComponent)
            waitForItemPolished(list)
            mouseMove(list, list.width - 1, list.height - 1) // away from the messages
            const regenerate = spyOn(list, "regenerateRequested")

            const answer = list.itemAtIndex(1)
            const answerMore = named(answer, "moreActionsButton")
            verify(answerMore.visible && answerMore.opacity === 1 && answerMore.enabled)
            mouseClick(answerMore)
            const answerMenu = named(answer, "messageActionMenu")
            tryCompare(answerMenu, "opened", true)
            verify(named(answer, "copyMenuItem").visible)
            verify(!named(answer, "editMenuItem").visible, "answers are regenerated, not edited")
            mouseClick(named(answer, "regenerateMenuItem"))
            compare(regenerate.count, 1)
            compare(regenerate.signalArguments[0][0], 2)
            tryCompare(answerMenu, "visible", false)

            const question = list.itemAtIndex(2)
            const questionMore = named(question, "moreActionsButton")
            const body = named(question, "messageBody")
            const moreRight = questionMore.mapToItem(question, questionMore.width, 0).x
            const bodyRight = body.mapToItem(question, body.width, 0).x
            verify(Math.abs(moreRight - bodyRight) < 1, "the user's \"⋯\" sits at the bubble's right edge: "
                   + moreRight + " vs " + bodyRight)
            mouseClick(questionMore)
            const questionMenu = named(question, "messageActionMenu")
            tryCompare(questionMenu, "opened", true)
            verify(!named(question, "regenerateMenuItem").visible)
            mouseClick(named(question, "editMenuItem"))
            verify(question.editing, "Edit opens the message's editor")
        }

        function test_emptyConversation() {
            messageModel.clear()
            const list = create(listComponent)
            verify(named(list, "emptyState").visible)
        }
    }
}
