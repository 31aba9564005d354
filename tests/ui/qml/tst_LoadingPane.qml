import QtQuick
import Latent.Ui

Item {
    width: 600
    height: 200

    Component {
        id: paneComponent
        LoadingPane {
            width: 500
            modelPath: "/models/deepseek-coder-6.7b-instruct.Q4_K_M.gguf"
            progress: 0.426
        }
    }

    ComponentTestCase {
        name: "LoadingPane"

        function test_showsTheFileAndProgress() {
            const pane = create(paneComponent)
            compare(named(pane, "loadingText").text, "Loading deepseek-coder-6.7b-instruct.Q4_K_M.gguf… 43%")
            compare(named(pane, "loadProgress").value, 0.426)
        }

        // Every weight read, a large model takes a while longer: not a "100%" that seems stuck.
        function test_preparingOnceEveryWeightIsRead() {
            const pane = create(paneComponent, { progress: 1 })
            compare(named(pane, "loadingText").text, "Preparing the model… (deepseek-coder-6.7b-instruct.Q4_K_M.gguf)")
        }

        function test_cancel() {
            const pane = create(paneComponent)
            const cancel = spyOn(pane, "cancelRequested")
            mouseClick(named(pane, "cancelLoadButton"))
            compare(cancel.count, 1)
        }
    }
}
