import QtQuick
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

    ComponentTestCase {
        name: "WelcomeScreen"

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
