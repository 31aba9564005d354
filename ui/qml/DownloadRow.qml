import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts
import Latent.Ui

// One download of the queue: its progress, speed and time left, what went wrong in plain words,
// and Pause / Resume / Cancel, or Open once it is done. The roles are DownloadQueue's.
ColumnLayout {
    id: row

    required property int index
    required property string title
    required property string status
    required property real received
    required property real total
    required property real progress
    required property real speed
    required property real secondsLeft
    required property string error
    required property bool hasChecksum
    required property string path

    signal pauseRequested(int row)
    signal resumeRequested(int row)
    signal cancelRequested(int row)
    signal openRequested(string path)

    function gigabytes(bytes) { return (bytes / 1e9).toLocaleString(Qt.locale(), "f", bytes < 1e10 ? 2 : 1) }
    function timeLeft(seconds) {
        if (seconds < 0)
            return ""
        if (seconds < 90)
            return qsTr("%n second(s) left", "", Math.round(seconds))
        if (seconds < 5400)
            return qsTr("%n minute(s) left", "", Math.round(seconds / 60))
        return qsTr("%n hour(s) left", "", Math.round(seconds / 3600))
    }
    function statusLine() {
        switch (row.status) {
        case "waiting": return qsTr("Waiting for the download before it")
        case "checking": return qsTr("Checking the part already downloaded…")
        case "paused": return qsTr("Paused at %1 GB").arg(gigabytes(row.received))
        case "failed": return row.error
        case "done": return row.hasChecksum ? qsTr("Done: SHA-256 verified") : qsTr("Done: no published checksum, checked by size only")
        }
        const amount = row.total > 0 ? qsTr("%1 of %2 GB").arg(gigabytes(row.received)).arg(gigabytes(row.total))
                                     : qsTr("%1 GB").arg(gigabytes(row.received))
        const speed = qsTr("%1 MB/s").arg((row.speed / 1e6).toLocaleString(Qt.locale(), "f", 1))
        return [amount, speed, timeLeft(row.secondsLeft)].filter(part => part !== "").join(" · ")
    }

    spacing: Theme.spacingSmall
    width: ListView.view ? ListView.view.width : implicitWidth

    RowLayout {
        Layout.fillWidth: true
        Text {
            Layout.fillWidth: true
            text: row.title
            color: Theme.text
            font.pixelSize: Theme.fontSizeBody
            font.weight: Font.DemiBold
            elide: Text.ElideRight
        }
        FlatButton {
            objectName: "pauseButton"
            visible: row.status === "downloading" || row.status === "checking" || row.status === "waiting"
            compact: true
            text: qsTr("Pause")
            onClicked: row.pauseRequested(row.index)
        }
        FlatButton {
            objectName: "resumeButton"
            visible: row.status === "paused" || row.status === "failed"
            compact: true
            text: qsTr("Resume")
            onClicked: row.resumeRequested(row.index)
        }
        FlatButton {
            objectName: "openButton"
            visible: row.status === "done"
            compact: true
            text: qsTr("Open")
            onClicked: row.openRequested(row.path)
        }
        FlatButton {
            objectName: "cancelButton"
            compact: true
            text: row.status === "done" ? qsTr("Remove from list") : qsTr("Cancel")
            onClicked: row.cancelRequested(row.index)
        }
    }
    ProgressBar {
        objectName: "downloadProgress"
        Layout.fillWidth: true
        visible: row.status !== "done"
        indeterminate: row.progress < 0 && row.status === "downloading"
        value: Math.max(0, row.progress)
    }
    Text {
        objectName: "downloadStatus"
        Layout.fillWidth: true
        text: row.statusLine()
        color: row.status === "failed" ? Theme.danger : Theme.textMuted
        font.pixelSize: Theme.fontSizeSmall
        wrapMode: Text.Wrap
    }
}
