import QtQuick
import Latent.Ui

Item {
    width: 600
    height: 300

    Component {
        id: bannerComponent
        ErrorBanner {
            width: 500
        }
    }

    ComponentTestCase {
        name: "ErrorBanner"

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

        function test_longMessagesWrap() {
            const banner = create(bannerComponent)
            banner.show("Title", "word ".repeat(100))
            waitForItemPolished(banner)
            tryVerify(() => banner.height > 80, 1000, "several lines high")
            verify(named(banner, "errorMessage").width < banner.width)
        }
    }
}
