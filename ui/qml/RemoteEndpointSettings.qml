import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts
import Latent.Ui

// Settings > Remote models: the endpoints added (their models, or why they could not be
// listed; Test lists them again; Remove), and a form to add one from a preset or by hand. The key
// is typed masked and kept in the platform's secret store (or a file only the user can read),
// never in the chat database. `remote` is RemoteModels (or a stand-in in tests).
ColumnLayout {
    id: section

    property var remote: null
    readonly property var presets: remote ? remote.presets : []
    property string problem // what was wrong with the last endpoint added

    spacing: Theme.spacingSmall

    function applyPreset(index) {
        const preset = section.presets[index]
        if (!preset)
            return
        nameField.text = preset.name
        urlField.text = preset.baseUrl
    }

    function add() {
        const preset = section.presets[presetBox.currentIndex]
        section.problem = section.remote.addEndpoint(nameField.text, urlField.text, preset ? preset.kind : "custom",
                                                     keyField.text)
        if (section.problem === "")
            keyField.text = ""
    }

    Text {
        Layout.fillWidth: true
        text: qsTr("Models too large for this computer can answer from a server that speaks the OpenAI API: "
                   + "DeepSeek's own, or vLLM, SGLang, Ollama or llama.cpp's server on another machine.")
        color: Theme.textMuted
        font.pixelSize: Theme.fontSizeSmall
        wrapMode: Text.Wrap
    }

    Repeater {
        model: section.remote ? section.remote.endpoints : []
        delegate: RowLayout {
            id: endpointRow
            required property var modelData
            objectName: "endpointRow"
            Layout.fillWidth: true
            spacing: Theme.spacingSmall

            ColumnLayout {
                Layout.fillWidth: true
                spacing: 0
                Text {
                    Layout.fillWidth: true
                    text: endpointRow.modelData.name + "  ·  " + endpointRow.modelData.baseUrl
                    color: Theme.text
                    elide: Text.ElideMiddle
                }
                Text {
                    objectName: "endpointStatus"
                    Layout.fillWidth: true
                    text: endpointRow.modelData.listing ? qsTr("Listing its models…")
                        : endpointRow.modelData.error !== "" ? endpointRow.modelData.error
                        : endpointRow.modelData.models.length > 0
                            ? endpointRow.modelData.models.map(model => model.id).join(", ")
                        : qsTr("No models listed yet: press Test.")
                    color: endpointRow.modelData.error !== "" ? Theme.danger : Theme.textMuted
                    font.pixelSize: Theme.fontSizeSmall
                    wrapMode: Text.Wrap
                }
                Text {
                    objectName: "keyInFileNote"
                    Layout.fillWidth: true
                    visible: endpointRow.modelData.keyInFile
                    text: qsTr("No secret store answered: the key is kept in a file only you can read.")
                    color: Theme.textMuted
                    font.pixelSize: Theme.fontSizeSmall
                    wrapMode: Text.Wrap
                }
            }
            FlatButton {
                objectName: "testEndpointButton"
                text: qsTr("Test")
                onClicked: section.remote.listModels(endpointRow.modelData.name)
            }
            FlatButton {
                objectName: "removeEndpointButton"
                text: qsTr("Remove")
                onClicked: section.remote.removeEndpoint(endpointRow.modelData.name)
            }
        }
    }

    GridLayout {
        Layout.fillWidth: true
        columns: 2
        columnSpacing: Theme.spacingMedium
        rowSpacing: Theme.spacingSmall

        Label { text: qsTr("Kind") }
        ThemedComboBox {
            id: presetBox
            objectName: "presetBox"
            Layout.fillWidth: true
            model: section.presets.map(preset => preset.name).concat([qsTr("Other (by hand)")])
            onActivated: (index) => section.applyPreset(index)
            Component.onCompleted: section.applyPreset(currentIndex)
        }
        Label { text: qsTr("Name") }
        TextField {
            id: nameField
            objectName: "endpointNameField"
            Layout.fillWidth: true
        }
        Label { text: qsTr("Base URL") }
        TextField {
            id: urlField
            objectName: "endpointUrlField"
            Layout.fillWidth: true
            placeholderText: "http://localhost:8000/v1"
        }
        Label { text: qsTr("API key") }
        TextField {
            id: keyField
            objectName: "endpointKeyField"
            Layout.fillWidth: true
            echoMode: TextInput.Password
            placeholderText: qsTr("None, or sk-…")
        }
    }

    RowLayout {
        Layout.fillWidth: true
        Text {
            objectName: "endpointProblem"
            Layout.fillWidth: true
            visible: text !== ""
            text: section.problem
            color: Theme.danger
            wrapMode: Text.Wrap
        }
        FlatButton {
            objectName: "addEndpointButton"
            Layout.alignment: Qt.AlignRight
            text: qsTr("Add endpoint")
            onClicked: section.add()
        }
    }
}
