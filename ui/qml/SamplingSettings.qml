import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts
import Latent.Ui

// How answers are sampled, applied from the next answer on, and named presets of these settings.
// `manager` is the ModelManager (or a stand-in with the same properties and methods); until it
// is set, the fields show nothing.
ColumnLayout {
    id: sampling

    property var manager: null
    property int appliedFeedbackMs: 1500

    spacing: Theme.spacingMedium

    RowLayout {
        Layout.fillWidth: true
        spacing: Theme.spacingSmall

        Label {
            text: qsTr("Preset")
        }
        ThemedComboBox {
            id: presetBox
            objectName: "presetBox"
            Layout.fillWidth: true
            // Built-in presets' names are translated for display; the stored names stay the keys.
            model: (sampling.manager?.presetNames ?? []).map(name => ({ name: name, label: qsTranslate("SamplingPreset", name) }))
            textRole: "label"
            valueRole: "name"
            // Opens on the preset in use; choosing another one only picks what Apply applies.
            Component.onCompleted: currentIndex = Math.max(0, indexOfValue(sampling.manager?.currentPreset ?? ""))
        }
        FlatButton {
            objectName: "applyPresetButton"
            text: appliedFeedback.running ? qsTr("Applied") : qsTr("Apply")
            enabled: presetBox.currentIndex >= 0
            onClicked: {
                sampling.manager.applyPreset(presetBox.currentValue)
                appliedFeedback.restart()
            }
        }
        FlatButton {
            objectName: "deletePresetButton"
            text: qsTr("Delete")
            danger: true
            // Built-in presets come with the app and stay.
            visible: presetBox.currentIndex >= 0
                     && !(sampling.manager?.builtInPresetNames ?? []).includes(presetBox.currentValue)
            onClicked: sampling.manager.deletePreset(presetBox.currentValue)
        }
    }
    Text {
        objectName: "currentPresetNote"
        Layout.fillWidth: true
        Layout.topMargin: -Theme.spacingSmall
        text: (sampling.manager?.currentPreset ?? "") !== ""
              ? qsTr("In use: %1").arg(qsTranslate("SamplingPreset", sampling.manager.currentPreset))
              : qsTr("In use: your own settings, not a preset")
        color: Theme.textMuted
        font.pixelSize: Theme.fontSizeSmall
        wrapMode: Text.Wrap
    }
    Timer {
        id: appliedFeedback
        interval: sampling.appliedFeedbackMs
    }
    RowLayout {
        Layout.fillWidth: true
        spacing: Theme.spacingSmall

        TextField {
            id: presetName
            objectName: "presetNameField"
            Layout.fillWidth: true
            placeholderText: qsTr("Name for these settings")
            selectByMouse: true
            onAccepted: saveButton.clicked()
        }
        FlatButton {
            id: saveButton
            objectName: "savePresetButton"
            text: qsTr("Save as preset")
            enabled: presetName.text.trim() !== ""
            onClicked: {
                sampling.manager.savePreset(presetName.text.trim())
                presetName.clear()
            }
        }
    }

    GridLayout {
        Layout.fillWidth: true
        columns: 3
        columnSpacing: Theme.spacingMedium
        rowSpacing: Theme.spacingSmall

        Label { text: qsTr("Temperature") }
        DecimalSpinBox {
            objectName: "temperatureBox"
            realValue: sampling.manager?.temperature ?? 0
            realTo: 2
            onRealValueModified: (newValue) => sampling.manager.temperature = newValue
        }
        Hint { text: qsTr("Higher is more varied, lower more focused; 0 always picks the likeliest word") }

        Label { text: qsTr("Top-k") }
        SpinBox {
            objectName: "topKBox"
            value: sampling.manager?.topK ?? 0
            to: 1000
            editable: true
            textFromValue: (value, locale) => value === 0 ? qsTr("Off") : Number(value).toLocaleString(locale, "f", 0)
            valueFromText: (text, locale) => text === qsTr("Off") ? 0 : Number.fromLocaleString(locale, text)
            onValueModified: sampling.manager.topK = value
        }
        Hint { text: qsTr("Only the k likeliest tokens are candidates") }

        Label { text: qsTr("Top-p") }
        DecimalSpinBox {
            objectName: "topPBox"
            realValue: sampling.manager?.topP ?? 0
            onRealValueModified: (newValue) => sampling.manager.topP = newValue
        }
        Hint { text: qsTr("The likeliest tokens that together make up this probability") }

        Label { text: qsTr("Min-p") }
        DecimalSpinBox {
            objectName: "minPBox"
            realValue: sampling.manager?.minP ?? 0
            realStep: 0.01
            onRealValueModified: (newValue) => sampling.manager.minP = newValue
        }
        Hint { text: qsTr("Drops tokens less likely than this fraction of the likeliest") }

        Label { text: qsTr("Repeat penalty") }
        DecimalSpinBox {
            objectName: "repeatPenaltyBox"
            realValue: sampling.manager?.repeatPenalty ?? 1
            realFrom: 1
            realTo: 2
            onRealValueModified: (newValue) => sampling.manager.repeatPenalty = newValue
        }
        Hint { text: qsTr("Above 1 makes repeating recent tokens less likely") }

        Label { text: qsTr("Max tokens") }
        SpinBox {
            objectName: "maxTokensBox"
            value: sampling.manager?.maxTokens ?? -1
            from: -1
            to: 1000000
            stepSize: 256
            editable: true
            textFromValue: (value, locale) => value < 0 ? qsTr("No limit") : Number(value).toLocaleString(locale, "f", 0)
            valueFromText: (text, locale) => text === qsTr("No limit") ? -1 : Number.fromLocaleString(locale, text)
            onValueModified: sampling.manager.maxTokens = value
        }
        Hint { text: qsTr("The longest answer; with no limit, until the context is full") }
    }

    component Hint: Text {
        Layout.fillWidth: true
        color: Theme.textMuted
        font.pixelSize: Theme.fontSizeSmall
        wrapMode: Text.Wrap
    }
}
