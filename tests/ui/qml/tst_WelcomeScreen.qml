import QtQuick
import QtQuick.Controls.Basic
import Latent.Ui

Item {
    width: 900
    height: 700

    Component {
        id: welcomeComponent
        WelcomeScreen {
            anchors.fill: parent
        }
    }

    // Shorter than the page: the chat's pane in a small window (test_main_window checks 800x600).
    Component {
        id: smallWelcomeComponent
        WelcomeScreen {
            width: 420
            height: 400
        }
    }

    ComponentTestCase {
        name: "WelcomeScreen"

        function test_openButtonShowsInASmallWindow() {
            const welcome = create(smallWelcomeComponent)
            const button = named(welcome, "openModelButton")
            waitForItemPolished(named(welcome, "welcomeScroller"))
            const bottom = button.mapToItem(welcome, 0, button.height).y
            verify(bottom > 0 && bottom <= welcome.height, "the button's bottom at " + bottom)
            const scroller = named(welcome, "welcomeScroller")
            verify(scroller.contentHeight > scroller.height, "the rest of the page is below")
            compare(scroller.ScrollBar.vertical.policy, ScrollBar.AlwaysOn, "and a scroll bar says so")
        }

        function test_explainsModelsAndSizes() {
            const welcome = create(welcomeComponent)
            compare(named(welcome, "modelStatus").text, "No model loaded")
            const table = named(welcome, "modelSizeTable")
            compare(table.rowCount, 5)
            compare(table.rows[0].model, "DeepSeek-Coder 1.3B")
            verify(table.rows[2].machine.indexOf("MoE") >= 0)
            verify(table.width > 0 && table.height > 0)
        }

        function test_openButton() {
            const welcome = create(welcomeComponent)
            const open = spyOn(welcome, "openModelRequested")
            mouseClick(named(welcome, "openModelButton"))
            compare(open.count, 1)
        }
    }
}
