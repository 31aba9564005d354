import QtQuick
import Latent.Ui

// Names that are stored as keys and shown translated: the built-in presets, the backends and the
// CPU backend's description. In Chinese they read in Chinese; the keys the manager gets stay.
Item {
    width: 800
    height: 800

    // A stand-in for ModelManager with what SettingsDialog reads, and the preset calls it received.
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
            property var presetNames: ["Balanced", "Precise (code)", "Mine"]
            readonly property var builtInPresetNames: ["Balanced", "Precise (code)"]
            property string currentPreset: "Balanced"
            property string modelPath: ""
            property var calls: []

            function applyPreset(name) { calls = calls.concat(["apply " + name]) }
            function savePreset(name) {}
            function deletePreset(name) {}
        }
    }

    Component {
        id: dialogComponent
        SettingsDialog {}
    }

    Component {
        id: pickerComponent
        ModelPicker {}
    }

    ComponentTestCase {
        id: testCase
        name: "TranslatedNames"

        function cleanup() { UiSettings.language = "en" }

        function test_presetsAndBackendsInChinese() {
            UiSettings.language = "zh_CN"
            const manager = managerComponent.createObject(testCase)
            const dialog = create(dialogComponent, { manager: manager })
            dialog.open()
            tryCompare(dialog, "opened", true)
            const presets = named(dialog.contentItem, "presetBox")
            compare(presets.displayText, "均衡")
            presets.currentIndex = 1
            compare(presets.displayText, "精确（代码）")
            mouseClick(named(dialog.contentItem, "applyPresetButton"))
            compare(manager.calls, ["apply Precise (code)"]) // the stored name, not the shown one
            presets.currentIndex = 2
            compare(presets.displayText, "Mine") // a user's own preset keeps its name

            const backend = named(dialog.contentItem, "backendBox")
            compare(backend.displayText, "自动")
            backend.currentIndex = 1
            backend.activated(1)
            compare(backend.displayText, "CPU")
            compare(manager.backend, "cpu")
        }

        function test_cpuBackendDescriptionFollowsTheLanguage() {
            const picker = create(pickerComponent)
            picker.facts = { name: "coder", backend: "cpu (2 threads, avx512 kernels)", cpuThreads: 2,
                             cpuKernels: "avx512" }
            compare(named(picker, "modelBackend").text, "CPU (2 threads, avx512 kernels)")
            UiSettings.language = "zh_CN"
            compare(named(picker, "modelBackend").text, "CPU（2 个线程，avx512 内核）")
        }
    }
}
