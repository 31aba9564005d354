import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts
import Latent.Ui

// Downloads: the catalogue of DeepSeek GGUF files (size, memory needed, what each is for, whether
// it fits this machine), the folder they go to and the Hugging Face mirror, and the queue of
// downloads. `catalogue` and `queue` are ModelDownloads' list models (or stand-ins in tests).
Dialog {
    id: dialog

    property var catalogue: null
    property var queue: null
    property string folder: ""
    property string mirror: ""
    property string message: "" // a setting refused or a catalogue not refreshed

    signal downloadRequested(string entryId)
    signal pauseRequested(int row)
    signal resumeRequested(int row)
    signal cancelRequested(int row)
    signal openRequested(string path)
    signal folderEdited(string folder)
    signal mirrorEdited(string mirror)

    function gigabytes(bytes) { return (bytes / 1e9).toLocaleString(Qt.locale(), "f", 1) }

    title: qsTr("Download Models")
    modal: true
    anchors.centerIn: parent
    width: Math.min(parent ? parent.width - 2 * Theme.spacingHuge : 720, 720)
    height: Math.min(parent ? parent.height - 2 * Theme.spacingHuge : 640, 760)
    padding: Theme.spacingLarge
    background: Rectangle {
        color: Theme.popup
        radius: Theme.radiusMedium
        border.color: Theme.border
    }
    header: Text {
        padding: Theme.spacingLarge
        bottomPadding: 0
        text: dialog.title
        color: Theme.text
        font.pixelSize: Theme.fontSizeHeading - 4
        font.weight: Font.DemiBold
    }
    footer: DialogButtonBox {
        padding: Theme.spacingLarge
        alignment: Qt.AlignRight
        background: null
        FlatButton {
            text: qsTr("Close")
            DialogButtonBox.buttonRole: DialogButtonBox.RejectRole
        }
    }

    ModelPurposes { id: purposes }

    ColumnLayout {
        anchors.fill: parent
        spacing: Theme.spacingMedium

        GridLayout {
            Layout.fillWidth: true
            columns: 2
            Label { text: qsTr("Download folder"); color: Theme.text }
            TextField {
                objectName: "folderField"
                Layout.fillWidth: true
                text: dialog.folder
                onEditingFinished: if (text !== dialog.folder) dialog.folderEdited(text)
            }
            Label { text: qsTr("Mirror"); color: Theme.text }
            TextField {
                objectName: "mirrorField"
                Layout.fillWidth: true
                text: dialog.mirror
                placeholderText: qsTr("https://huggingface.co (or a mirror such as https://hf-mirror.com)")
                onEditingFinished: if (text !== dialog.mirror) dialog.mirrorEdited(text)
            }
        }
        Text {
            objectName: "downloadsMessage"
            Layout.fillWidth: true
            visible: dialog.message !== ""
            text: dialog.message
            color: Theme.danger
            wrapMode: Text.Wrap
        }
        ListView {
            objectName: "queueList"
            Layout.fillWidth: true
            Layout.preferredHeight: Math.min(contentHeight, 220)
            visible: count > 0
            clip: true
            spacing: Theme.spacingMedium
            model: dialog.queue
            delegate: DownloadRow {
                onPauseRequested: row => dialog.pauseRequested(row)
                onResumeRequested: row => dialog.resumeRequested(row)
                onCancelRequested: row => dialog.cancelRequested(row)
                onOpenRequested: path => dialog.openRequested(path)
            }
        }
        ListView {
            objectName: "catalogueList"
            Layout.fillWidth: true
            Layout.fillHeight: true
            clip: true
            spacing: Theme.spacingMedium
            model: dialog.catalogue
            delegate: RowLayout {
                id: entry
                required property string entryId
                required property string title
                required property string quantization
                required property real sizeBytes
                required property real memoryBytes
                required property string purpose
                required property bool hasChecksum
                required property var fitsMemory
                required property bool runsHere
                width: ListView.view.width
                ColumnLayout {
                    Layout.fillWidth: true
                    spacing: 2
                    Text {
                        text: entry.title + " · " + entry.quantization
                        color: Theme.text
                        font.weight: Font.DemiBold
                    }
                    Text {
                        Layout.fillWidth: true
                        text: purposes.text(entry.entryId, entry.purpose)
                        color: Theme.text
                        wrapMode: Text.Wrap
                    }
                    Text {
                        objectName: "entryFacts"
                        Layout.fillWidth: true
                        wrapMode: Text.Wrap
                        color: entry.fitsMemory === false || !entry.runsHere ? Theme.danger : Theme.textMuted
                        font.pixelSize: Theme.fontSizeSmall
                        text: [qsTr("%1 GB download").arg(dialog.gigabytes(entry.sizeBytes)),
                               qsTr("needs %1 GB of memory").arg(dialog.gigabytes(entry.memoryBytes)),
                               entry.fitsMemory === true ? qsTr("fits this machine")
                                   : entry.fitsMemory === false ? qsTr("more than this machine has free") : "",
                               entry.hasChecksum ? "" : qsTr("no published checksum: checked by size only"),
                               entry.runsHere ? "" : qsTr("Latent's engine does not run this architecture yet: use it through a remote engine")
                              ].filter(part => part !== "").join(" · ")
                    }
                }
                FlatButton {
                    objectName: "downloadButton"
                    text: qsTr("Download")
                    onClicked: dialog.downloadRequested(entry.entryId)
                }
            }
        }
    }
}
