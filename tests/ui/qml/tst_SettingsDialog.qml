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
            readonly property var builtInPresetNames: ["Balanced"]
            property string currentPreset: "Precise"
            property string modelPath: "/models/coder.gguf"
            property var calls: []

            function applyPreset(name) {
                calls = calls.concat(["apply " + name])
                currentPreset = name
            }
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

        function test_builtInPresetsHaveNoDelete() {
            const dialog = openDialog()
            const presets = named(dialog.contentItem, "presetBox")
            const deleteButton = named(dialog.contentItem, "deletePresetButton")
            presets.currentIndex = 0
            verify(!deleteButton.visible, "Balanced comes with the app")
            presets.currentIndex = 1
            verify(deleteButton.visible)
        }

        function test_showsThePresetInUseAndConfirmsApply() {
            const dialog = openDialog()
            const presets = named(dialog.contentItem, "presetBox")
            compare(presets.currentText, "Precise", "opens on the preset in use")
            const note = named(dialog.contentItem, "currentPresetNote")
            compare(note.text, "In use: Precise")
            manager.currentPreset = ""
            compare(note.text, "In use: your own settings, not a preset")

            presets.currentIndex = 0
            const apply = named(dialog.contentItem, "applyPresetButton")
            mouseClick(apply)
            compare(apply.text, "Applied")
            compare(note.text, "In use: Balanced")
            tryCompare(apply, "text", "Apply", 5000)
        }

        function test_errorsShowInTheDialog() {
            const dialog = openDialog()
            const banner = named(dialog.contentItem, "settingsErrorBanner")
            verify(!banner.visible)
            dialog.showError("Built-in presets cannot be deleted", "\"Balanced\" comes with Latent.")
            verify(banner.visible)
            compare(named(banner, "errorTitle").text, "Built-in presets cannot be deleted")
            dialog.close()
            tryCompare(dialog, "visible", false)
            verify(!banner.visible, "gone with the dialog")
        }

        // The items of every drop-down list, the current one and the highlighted one included, read
        // at 4.5:1 in either theme (the Basic style's were white on near-white in the dark).
        function test_dropDownListsAreReadable_data() {
            return [{ tag: "light", theme: "light" }, { tag: "dark", theme: "dark" }]
        }

        function test_dropDownListsAreReadable(data) {
            const themeBefore = UiSettings.theme
            UiSettings.theme = data.theme
            const dialog = openDialog()
            for (const name of ["backendBox", "presetBox", "languageBox", "themeBox"]) {
                const box = named(dialog.contentItem, name)
                box.forceActiveFocus()
                box.popup.open()
                tryCompare(box.popup, "opened", true)
                const list = box.popup.contentItem
                const items = Array.from(list.contentItem.children).filter(child => "highlighted" in child)
                compare(items.length, box.count)
                keyClick(box.currentIndex === box.count - 1 ? Qt.Key_Up : Qt.Key_Down) // highlights another
                verify(box.highlightedIndex !== box.currentIndex)
                for (const item of items) {
                    const background = item.background.visible ? item.background.color : box.popup.background.color
                    const ratio = contrast(item.contentItem.color, background)
                    verify(ratio >= 4.5, name + " \"" + item.text + "\" reads at " + ratio.toFixed(2)
                                         + (item.highlighted ? " (highlighted)" : ""))
                }
                box.popup.close()
                tryCompare(box.popup, "visible", false)
            }
            UiSettings.theme = themeBefore
        }

        function test_reload() {
            const dialog = openDialog()
            const reload = spyOn(dialog, "reloadRequested")
            mouseClick(named(dialog.contentItem, "reloadButton"))
            compare(reload.count, 1)
        }
    }
}
