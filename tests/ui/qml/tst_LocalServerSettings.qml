import QtQuick
import Latent.Ui

Item {
    width: 640
    height: 480

    // The LocalServer's properties and calls, as the section uses them.
    Component {
        id: serverComponent
        QtObject {
            property bool enabled: false
            property int port: 8080
            property int parallel: 1
            property bool otherMachines: false
            property string apiKey: ""
            property bool running: enabled
            property string address: running ? "http://127.0.0.1:" + port + "/v1" : ""
            property string errorMessage: ""
            property int newKeys: 0
            function makeNewKey() { ++newKeys; apiKey = "latent-key-" + newKeys }
        }
    }

    Component {
        id: sectionComponent
        LocalServerSettings { width: 600 }
    }

    ComponentTestCase {
        name: "LocalServerSettings"

        function test_theSwitchStartsItAndTheAddressShows() {
            const server = create(serverComponent)
            const section = create(sectionComponent, { server: server })
            const status = named(section, "serverStatus")
            verify(!status.visible, "nothing to say while it is off")
            mouseClick(named(section, "serverSwitch"))
            verify(server.enabled)
            compare(status.text, "Serving at http://127.0.0.1:8080/v1")
            verify(named(section, "copyAddressButton").visible)
        }

        function test_anErrorIsShownInsteadOfTheAddress() {
            const server = create(serverComponent, { enabled: true })
            const section = create(sectionComponent, { server: server })
            server.running = false
            server.errorMessage = "The local server could not start: port 8080 is taken."
            compare(named(section, "serverStatus").text, server.errorMessage)
            verify(!named(section, "copyAddressButton").visible)
        }

        function test_otherComputersShowTheKeyMaskedAndANewOneCanBeMade() {
            const server = create(serverComponent, { enabled: true })
            const section = create(sectionComponent, { server: server })
            const keyField = named(section, "serverKeyField")
            verify(!keyField.visible, "no key: no key row")
            mouseClick(named(section, "otherMachinesBox"))
            verify(server.otherMachines)
            server.apiKey = "latent-secret"
            verify(keyField.visible)
            compare(keyField.echoMode, TextInput.Password)
            mouseClick(named(section, "newKeyButton"))
            compare(server.newKeys, 1)
            compare(keyField.text, "latent-key-1")
        }
    }
}
