import QtQuick
import Latent.Ui

Item {
    width: 800
    height: 800

    // A stand-in for ModelManager: its settings, and the preset calls it received.
    Component {
        id: managerComponent
        QtObject {
            property string backend: "auto"
            readonly property var backends: ["auto", "cpu", "vulkan"]
            property int threads: 0
            property int contextSize: 4096
            property double temperature: 0.7
            property int topK: 40
            property double topP: 0.95
            property double minP: 0.05
            property double repeatPenalty: 1.1
            property int maxTokens: -1
            property var presetNames: ["Balanced", "Precise"]
            property string modelPath: "/models/coder.gguf"
            property var calls: []

            function applyPreset(name) { calls = calls.concat(["apply " + name]) }
            function savePreset(name) { calls = calls.concat(["save " + name]) }
            function deletePreset(name) { calls = calls.concat(["delete " + name]) }
        }
    }

    Component {
        id: dialogComponent
        SettingsDialog {}
    }

    ComponentTestCase {
        id: testCase
        name: "SettingsDialog"

        property QtObject manager

        function openDialog() {
            // Not temporary: the manager outlives the dialog, as the app's does.
            manager = managerComponent.createObject(testCase)
            const dialog = create(dialogComponent, { manager: manager })
            dialog.open()
            tryCompare(dialog, "opened", true)
            return dialog
        }

        function test_showsTheSettings() {
            const dialog = openDialog()
            compare(named(dialog.contentItem, "backendBox").currentText, "auto")
            compare(named(dialog.contentItem, "threadsBox").displayText, "Automatic")
            compare(named(dialog.contentItem, "contextSizeBox").value, 4096)
            compare(named(dialog.contentItem, "temperatureBox").realValue, 0.7)
            compare(named(dialog.contentItem, "maxTokensBox").displayText, "No limit")
            verify(named(dialog.contentItem, "nextLoadNote").visible)
            verify(named(dialog.contentItem, "reloadButton").visible)
        }

        function test_editsWriteBackAndFollowTheManager() {
            const dialog = openDialog()
            const temperature = named(dialog.contentItem, "temperatureBox")
            temperature.increase()
            temperature.valueModified()
            compare(manager.temperature, 0.75)
            manager.temperature = 0.2 // a preset applied elsewhere
            compare(temperature.realValue, 0.2)

            const threads = named(dialog.contentItem, "threadsBox")
            threads.increase()
            threads.valueModified()
            compare(manager.threads, 1)

            const backend = named(dialog.contentItem, "backendBox")
            backend.currentIndex = 1
            backend.activated(1)
            compare(manager.backend, "cpu")
        }

        function test_presets() {
            const dialog = openDialog()
            const presets = named(dialog.contentItem, "presetBox")
            presets.currentIndex = 1
            mouseClick(named(dialog.contentItem, "applyPresetButton"))
            const name = named(dialog.contentItem, "presetNameField")
            verify(!named(dialog.contentItem, "savePresetButton").enabled, "no name yet")
            name.text = " Long answers "
            mouseClick(named(dialog.contentItem, "savePresetButton"))
            compare(name.text, "")
            mouseClick(named(dialog.contentItem, "deletePresetButton"))
            compare(manager.calls, ["apply Precise", "save Long answers", "delete Precise"])
        }

        function test_reload() {
            const dialog = openDialog()
            const reload = spyOn(dialog, "reloadRequested")
            mouseClick(named(dialog.contentItem, "reloadButton"))
            compare(reload.count, 1)
        }
    }
}
