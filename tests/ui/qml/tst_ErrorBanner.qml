import QtQuick
import QtQuick.Layouts
import Latent.Ui

Item {
    width: 600
    height: 400

    Component {
        id: bannerComponent
        ErrorBanner {
            width: 500
        }
    }

    // The banner where the window has it: above the chat, which takes the height left.
    Component {
        id: windowComponent
        ColumnLayout {
            property alias banner: banner
            property alias chat: chat
            width: 600
            height: 400
            spacing: 0
            ErrorBanner {
                id: banner
                Layout.fillWidth: true
                Layout.margins: Theme.spacingSmall
            }
            Rectangle {
                id: chat
                Layout.fillWidth: true
                Layout.fillHeight: true
            }
        }
    }

    ComponentTestCase {
        name: "ErrorBanner"

        readonly property string longMessage: "The file /models/deepseek-coder-6.7b-instruct.Q4_K_M.gguf could not be read: "
                                              + "its tensor blk.12.attn_q.weight ends past the end of the file. ".repeat(30)

        function messageLineHeight(banner) {
            const text = named(banner, "errorMessage")
            return text.contentHeight / text.lineCount
        }

        function test_showAndDismiss() {
            const banner = create(bannerComponent)
            const dismissed = spyOn(banner, "dismissed")
            verify(!banner.visible)
            banner.show("Cannot open the file", "model.gguf is truncated: download it again.")
            verify(banner.visible)
            compare(named(banner, "errorTitle").text, "Cannot open the file")
            compare(named(banner, "errorMessage").text, "model.gguf is truncated: download it again.")
            mouseClick(named(banner, "dismissButton"))
            verify(!banner.visible)
            compare(dismissed.count, 1)
        }

        function test_shortMessagesShowWhole() {
            const banner = create(bannerComponent)
            banner.show("Title", "word ".repeat(30)) // two lines
            waitForItemPolished(banner)
            const view = named(banner, "errorMessageView")
            const text = named(banner, "errorMessage")
            verify(text.lineCount > 1, "it wraps")
            verify(text.width < banner.width)
            compare(view.height, text.contentHeight)
            verify(!named(banner, "detailsButton").visible)
        }

        // A long message shows its first lines and Details, not a banner as tall as the text.
        function test_longMessagesAreCut() {
            const banner = create(bannerComponent)
            banner.show("The model could not be loaded", longMessage)
            waitForItemPolished(banner)
            const view = named(banner, "errorMessageView")
            const text = named(banner, "errorMessage")
            verify(text.lineCount > 10)
            fuzzyCompare(view.height, banner.collapsedLines * messageLineHeight(banner), 0.5)
            verify(named(banner, "detailsButton").visible)
            verify(banner.height < view.height + 100, "the title, Details and margins: " + banner.height)
        }

        function test_detailsShowTheRest() {
            const banner = create(bannerComponent)
            banner.show("The model could not be loaded", longMessage)
            waitForItemPolished(banner)
            const view = named(banner, "errorMessageView")
            const details = named(banner, "detailsButton")
            const collapsed = view.height
            mouseClick(details)
            verify(banner.expanded)
            fuzzyCompare(view.height, banner.expandedLines * messageLineHeight(banner), 0.5)
            verify(view.height > collapsed)
            // The rest scrolls into view.
            verify(view.interactive)
            compare(view.contentHeight, named(banner, "errorMessage").contentHeight)
            view.contentY = view.contentHeight - view.height
            verify(view.atYEnd)
            mouseClick(details)
            verify(!banner.expanded)
            compare(view.height, collapsed)
            compare(view.contentY, 0)
            // A new error starts collapsed.
            mouseClick(details)
            banner.show("Another", longMessage)
            verify(!banner.expanded)
        }

        // Beside the chat, a long error leaves most of the height to it (the banner once grew
        // to three quarters of the window, with a layout's polish loop).
        function test_leavesTheChatItsHeight() {
            const window = create(windowComponent)
            window.banner.show("The model could not be loaded", longMessage)
            waitForItemPolished(window)
            wait(50) // layouts that would loop polish over a few frames
            verify(window.chat.height > window.height / 2, "the chat keeps " + window.chat.height)
            mouseClick(named(window.banner, "detailsButton"))
            waitForItemPolished(window)
            verify(window.chat.height > 0)
            verify(window.banner.y + window.banner.height <= window.height)
        }
    }
}
