import QtQuick
import QtTest
import Latent.Ui

// The Downloads dialog over stand-ins of ModelDownloads' list models (the roles of
// CatalogueListModel and DownloadQueue): an entry's facts, a download's progress, and what each
// button asks for.
Item {
    width: 800
    height: 800

    ListModel {
        id: catalogueModel
        ListElement {
            entryId: "deepseek-coder-6.7b-instruct-q4_k_m"; title: "DeepSeek-Coder 6.7B Instruct"
            architecture: "llama"; quantization: "Q4_K_M"; fileName: "deepseek-coder-6.7b-instruct.Q4_K_M.gguf"
            sizeBytes: 4083015904; memoryBytes: 6500000000; purpose: "english"; hasChecksum: true
            fitsMemory: false; runsHere: true
        }
        ListElement {
            entryId: "deepseek-r1-distill-qwen-7b-q4_k_m"; title: "DeepSeek-R1 Distill Qwen 7B"
            architecture: "qwen2"; quantization: "Q4_K_M"; fileName: "DeepSeek-R1-Distill-Qwen-7B-Q4_K_M.gguf"
            sizeBytes: 4680000000; memoryBytes: 6500000000; purpose: "english"; hasChecksum: false
            fitsMemory: true; runsHere: false
        }
    }

    ListModel {
        id: queueModel
        ListElement {
            title: "DeepSeek-Coder 6.7B Instruct Q4_K_M"; status: "downloading"; received: 1000000000
            total: 4000000000; progress: 0.25; speed: 20000000; secondsLeft: 150; error: ""; hasChecksum: true
            path: "/models/deepseek-coder-6.7b-instruct.Q4_K_M.gguf"
        }
    }

    Component {
        id: dialogComponent
        DownloadsDialog {
            catalogue: catalogueModel
            queue: queueModel
            folder: "/models"
        }
    }

    ComponentTestCase {
        name: "DownloadsDialog"

        function openDialog() {
            queueModel.setProperty(0, "status", "downloading")
            const dialog = create(dialogComponent)
            dialog.open()
            tryCompare(dialog, "opened", true)
            return dialog
        }

        // The catalogue's row `index`, scrolled into view (a list view creates what shows).
        function entryRow(dialog, index) {
            const list = named(dialog.contentItem, "catalogueList")
            list.positionViewAtIndex(index, ListView.Contain)
            tryVerify(() => list.itemAtIndex(index) !== null)
            return list.itemAtIndex(index)
        }

        function test_entriesSayWhatTheyNeed() {
            const dialog = openDialog()
            const coder = named(entryRow(dialog, 0), "entryFacts").text
            verify(coder.indexOf("4.1 GB download") >= 0, coder)
            verify(coder.indexOf("needs 6.5 GB of memory") >= 0, coder)
            verify(coder.indexOf("more than this machine has free") >= 0, coder)
            verify(coder.indexOf("checked by size only") < 0, coder)
            const distill = entryRow(dialog, 1)
            const facts = named(distill, "entryFacts").text
            verify(facts.indexOf("fits this machine") >= 0, facts)
            verify(facts.indexOf("no published checksum: checked by size only") >= 0, facts)
            verify(facts.indexOf("does not run this architecture") >= 0, facts)
            const spy = spyOn(dialog, "downloadRequested")
            mouseClick(named(distill, "downloadButton"))
            compare(spy.count, 1)
            compare(spy.signalArguments[0][0], "deepseek-r1-distill-qwen-7b-q4_k_m")
        }

        function test_aDownloadShowsItsProgressAndActs() {
            const dialog = openDialog()
            const bar = named(dialog.contentItem, "downloadProgress")
            compare(bar.value, 0.25)
            const status = named(dialog.contentItem, "downloadStatus").text
            for (const part of ["1.00 of 4.00 GB", "20.0 MB/s", "3 minute(s) left"])
                verify(status.indexOf(part) >= 0, part + " in " + status)
            const pause = spyOn(dialog, "pauseRequested")
            mouseClick(named(dialog.contentItem, "pauseButton"))
            compare(pause.count, 1)
            compare(pause.signalArguments[0][0], 0)

            queueModel.setProperty(0, "status", "failed")
            queueModel.setProperty(0, "error", "The download of x.gguf stopped: Connection closed.")
            tryVerify(() => named(dialog.contentItem, "resumeButton").visible)
            verify(!named(dialog.contentItem, "pauseButton").visible)
            compare(named(dialog.contentItem, "downloadStatus").text, "The download of x.gguf stopped: Connection closed.")
            const resume = spyOn(dialog, "resumeRequested")
            mouseClick(named(dialog.contentItem, "resumeButton"))
            compare(resume.count, 1)
            const cancel = spyOn(dialog, "cancelRequested")
            mouseClick(named(dialog.contentItem, "cancelButton"))
            compare(cancel.count, 1)

            queueModel.setProperty(0, "status", "done")
            tryVerify(() => named(dialog.contentItem, "openButton").visible)
            compare(named(dialog.contentItem, "downloadStatus").text, "Done: SHA-256 verified")
            const open = spyOn(dialog, "openRequested")
            mouseClick(named(dialog.contentItem, "openButton"))
            compare(open.signalArguments[0][0], "/models/deepseek-coder-6.7b-instruct.Q4_K_M.gguf")
        }

        function test_settingsAreEdited() {
            const dialog = openDialog()
            const mirror = spyOn(dialog, "mirrorEdited")
            const field = named(dialog.contentItem, "mirrorField")
            field.forceActiveFocus()
            field.text = "https://hf-mirror.com"
            field.editingFinished()
            compare(mirror.count, 1)
            compare(mirror.signalArguments[0][0], "https://hf-mirror.com")
        }
    }
}
