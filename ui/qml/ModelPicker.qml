import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts
import Latent.Ui

// The model in use and what it is (architecture, size, quantization, context), with a menu of
// the models opened before (those whose file is gone are greyed), the remote endpoints' models,
// "Open model file..." and "Download model...".
Rectangle {
    id: picker

    // ModelManager's modelFacts and recentModels (see app/chat/model_manager.h for their keys).
    property var facts: ({})
    property var recentModels: []
    property bool loading: false
    // RemoteModels.endpoints: each endpoint's models, chosen as the chat's under "Remote".
    property var remoteEndpoints: []

    signal openFileRequested()
    signal downloadRequested()
    signal modelChosen(string path)
    signal forgetRequested(string path)
    signal remoteModelChosen(string endpoint, string model)
    signal remoteListRequested() // the menu opened: the endpoints' lists are asked for again

    readonly property bool hasModel: facts !== undefined && facts.name !== undefined
    readonly property var missingModels: recentModels.filter(model => !model.exists)

    // The context is the one the model runs with (contextSize, as the chat's status shows it),
    // and the length it was trained for when that differs; a file not loaded has only the latter.
    function factsLine(model) {
        const tokens = count => Number(count).toLocaleString(Qt.locale(), "f", 0)
        if (model.remote)
            return [qsTr("Remote: %1").arg(model.endpoint),
                    model.contextSize ? qsTr("%1 context").arg(tokens(model.contextSize)) : qsTr("context size unknown")]
                .join(" · ")
        const parts = [model.architecture, model.parametersText, model.quantization]
        const context = model.contextSize || model.contextLength
        if (context)
            parts.push(qsTr("%1 context").arg(tokens(context)))
        if (model.contextSize && model.contextLength && model.contextLength !== model.contextSize)
            parts.push(qsTr("trained for %1").arg(tokens(model.contextLength)))
        return parts.filter(part => part !== undefined && part !== "").join(" · ")
    }

    implicitHeight: column.implicitHeight + 2 * Theme.spacingSmall
    radius: Theme.radiusMedium
    color: hover.hovered || modelMenu.visible ? Theme.surfaceHover : "transparent"
    border.color: Theme.border

    HoverHandler {
        id: hover
        cursorShape: Qt.PointingHandCursor
    }

    TapHandler {
        onTapped: modelMenu.open()
    }

    ColumnLayout {
        id: column
        anchors.left: parent.left
        anchors.right: parent.right
        anchors.verticalCenter: parent.verticalCenter
        anchors.margins: Theme.spacingMedium
        spacing: 2

        RowLayout {
            Layout.fillWidth: true
            Text {
                objectName: "modelName"
                Layout.fillWidth: true
                text: picker.loading ? qsTr("Loading model…")
                    : picker.hasModel ? picker.facts.name : qsTr("No model loaded")
                color: Theme.text
                font.pixelSize: Theme.fontSizeBody
                font.weight: Font.DemiBold
                elide: Text.ElideMiddle
            }
            Text {
                text: "▴"
                color: Theme.textMuted
                font.pixelSize: Theme.fontSizeSmall
            }
        }
        Text {
            objectName: "modelFacts"
            Layout.fillWidth: true
            visible: text !== ""
            text: picker.hasModel ? picker.factsLine(picker.facts)
                : picker.loading ? "" : qsTr("Choose a GGUF file to start")
            color: Theme.textMuted
            font.pixelSize: Theme.fontSizeSmall
            elide: Text.ElideRight
        }
        // Where the model runs; hovering tells why "auto" chose it.
        Text {
            objectName: "modelBackend"
            Layout.fillWidth: true
            visible: picker.hasModel && text !== ""
            // On the CPU worded here, in the UI's language; another backend's own description.
            text: !picker.hasModel || picker.facts.backend === undefined ? ""
                : picker.facts.cpuThreads !== undefined
                    ? qsTr("CPU (%1 threads, %2 kernels)").arg(picker.facts.cpuThreads).arg(picker.facts.cpuKernels)
                    : picker.facts.backend
            color: Theme.textMuted
            font.pixelSize: Theme.fontSizeSmall
            elide: Text.ElideRight
            readonly property string reason: picker.hasModel && picker.facts.backendReason !== undefined
                                             ? picker.facts.backendReason : ""
            ToolTip.visible: hover.hovered && reason !== "" && !modelMenu.visible
            ToolTip.text: reason
        }
    }

    // A popup rather than a Menu: each model shows its facts on a second line.
    PopupPanel {
        id: modelMenu
        objectName: "modelMenu"
        y: -height - Theme.spacingTiny
        width: Math.max(picker.width, 320)
        onOpened: picker.remoteListRequested()

        Column {
            width: parent.width
            spacing: 2

            Text {
                visible: picker.recentModels.length > 0
                padding: Theme.spacingSmall
                text: qsTr("Recent models")
                color: Theme.textMuted
                font.pixelSize: Theme.fontSizeSmall
            }
            Repeater {
                model: picker.recentModels
                delegate: MenuRow {
                    required property var modelData
                    objectName: "recentModel"
                    menu: modelMenu
                    text: modelData.name
                    detail: modelData.exists ? picker.factsLine(modelData) : qsTr("File missing: %1").arg(modelData.path)
                    enabled: modelData.exists && !picker.loading
                    onClicked: picker.modelChosen(modelData.path)
                }
            }
            MenuRow {
                objectName: "forgetMissingItem"
                menu: modelMenu
                visible: picker.missingModels.length > 0
                text: qsTr("Forget missing models")
                onClicked: picker.missingModels.forEach(model => picker.forgetRequested(model.path))
            }
            Rectangle {
                visible: picker.recentModels.length > 0
                width: parent.width
                height: 1
                color: Theme.border
            }
            Text {
                objectName: "remoteHeading"
                visible: picker.remoteEndpoints.length > 0
                padding: Theme.spacingSmall
                text: qsTr("Remote")
                color: Theme.textMuted
                font.pixelSize: Theme.fontSizeSmall
            }
            Repeater {
                model: picker.remoteEndpoints
                delegate: Column {
                    id: endpointRows
                    required property var modelData
                    width: parent.width
                    Repeater {
                        model: endpointRows.modelData.models
                        delegate: MenuRow {
                            required property var modelData
                            objectName: "remoteModel"
                            menu: modelMenu
                            text: modelData.id
                            detail: endpointRows.modelData.name
                            onClicked: picker.remoteModelChosen(endpointRows.modelData.name, modelData.id)
                        }
                    }
                    MenuRow {
                        objectName: "remoteEndpointStatus"
                        menu: modelMenu
                        visible: detail !== ""
                        enabled: false
                        text: endpointRows.modelData.name
                        detail: endpointRows.modelData.listing ? qsTr("Listing its models…") : endpointRows.modelData.error
                    }
                }
            }
            Rectangle {
                visible: picker.remoteEndpoints.length > 0
                width: parent.width
                height: 1
                color: Theme.border
            }
            MenuRow {
                objectName: "openModelItem"
                menu: modelMenu
                text: qsTr("Open model file…")
                enabled: !picker.loading
                onClicked: picker.openFileRequested()
            }
            MenuRow {
                objectName: "downloadModelItem"
                menu: modelMenu
                text: qsTr("Download model…")
                onClicked: picker.downloadRequested()
            }
        }
    }
}
