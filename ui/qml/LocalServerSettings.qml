import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts
import Latent.Ui

// Settings > Local server: the switch, the port, whether other machines may connect (then with the
// key), and what to paste into an editor. `server` is the LocalServer (or a stand-in in tests).
ColumnLayout {
    id: section

    required property var server

    spacing: Theme.spacingSmall

    Text {
        Layout.fillWidth: true
        text: qsTr("Editors (Continue, llama.vim, llama.vscode) and scripts on this computer can use the model "
                   + "loaded here through an OpenAI-compatible server.")
        color: Theme.textMuted
        font.pixelSize: Theme.fontSizeSmall
        wrapMode: Text.Wrap
    }

    GridLayout {
        Layout.fillWidth: true
        columns: 2
        columnSpacing: Theme.spacingMedium
        rowSpacing: Theme.spacingSmall

        Label { text: qsTr("Serve the loaded model") }
        Switch {
            objectName: "serverSwitch"
            checked: section.server.enabled
            onToggled: section.server.enabled = checked
        }
        Label { text: qsTr("Port") }
        SpinBox {
            objectName: "serverPortBox"
            from: 1024
            to: 65535
            editable: true
            value: section.server.port
            textFromValue: (value, locale) => String(value) // no digit grouping in a port
            valueFromText: (text, locale) => Number(text)
            onValueModified: section.server.port = value
        }
        Label { text: qsTr("Requests at once") }
        SpinBox {
            objectName: "serverParallelBox"
            from: 1
            to: 8
            value: section.server.parallel
            onValueModified: section.server.parallel = value
        }
        Label { text: qsTr("Other computers") }
        CheckBox {
            objectName: "otherMachinesBox"
            text: qsTr("Allow them, with the API key")
            checked: section.server.otherMachines
            onToggled: section.server.otherMachines = checked
        }
    }

    Text {
        objectName: "serverStatus"
        Layout.fillWidth: true
        visible: text !== ""
        text: section.server.errorMessage !== "" ? section.server.errorMessage
            : section.server.running ? qsTr("Serving at %1").arg(section.server.address)
            : ""
        color: section.server.errorMessage !== "" ? Theme.danger : Theme.text
        wrapMode: Text.Wrap
    }

    RowLayout {
        Layout.fillWidth: true
        visible: section.server.running
        spacing: Theme.spacingSmall
        FlatButton {
            objectName: "copyAddressButton"
            text: qsTr("Copy address")
            onClicked: Clipboard.copy(section.server.address)
        }
        FlatButton {
            objectName: "copyInfillAddressButton"
            text: qsTr("Copy llama.vim address")
            onClicked: Clipboard.copy(section.server.address.replace(/\/v1$/, "/infill"))
        }
    }

    RowLayout {
        Layout.fillWidth: true
        visible: section.server.apiKey !== ""
        spacing: Theme.spacingSmall
        Label { text: qsTr("API key") }
        TextField {
            objectName: "serverKeyField"
            Layout.fillWidth: true
            readOnly: true
            text: section.server.apiKey
            echoMode: revealKey.checked ? TextInput.Normal : TextInput.Password
        }
        CheckBox {
            id: revealKey
            text: qsTr("Show")
        }
        FlatButton {
            text: qsTr("Copy")
            onClicked: Clipboard.copy(section.server.apiKey)
        }
        FlatButton {
            objectName: "newKeyButton"
            text: qsTr("New key")
            onClicked: section.server.makeNewKey()
        }
    }
}
