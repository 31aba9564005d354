import QtQuick
import Latent.Ui

Item {
    width: 400
    height: 500

    Component {
        id: pickerComponent
        ModelPicker {
            y: 400
            width: 260
            recentModels: [
                { path: "/models/coder.gguf", name: "deepseek-coder-6.7b-instruct", architecture: "llama",
                  quantization: "Q4_K_M", parametersText: "6.7B", fileSizeText: "3.8 GB", exists: true },
                { path: "/gone/lite.gguf", name: "DeepSeek-V2-Lite", architecture: "deepseek2",
                  quantization: "Q8_0", parametersText: "15.7B", fileSizeText: "16 GB", exists: false }
            ]
        }
    }

    ComponentTestCase {
        name: "ModelPicker"

        function test_showsTheModelAndItsFacts() {
            const picker = create(pickerComponent)
            compare(named(picker, "modelName").text, "No model loaded")
            picker.facts = { name: "deepseek-coder-6.7b-instruct", architecture: "llama", parametersText: "6.7B",
                             quantization: "Q4_K_M", contextLength: 16384 }
            compare(named(picker, "modelName").text, "deepseek-coder-6.7b-instruct")
            const facts = named(picker, "modelFacts").text
            for (const fact of ["llama", "6.7B", "Q4_K_M", Number(16384).toLocaleString(Qt.locale(), "f", 0)])
                verify(facts.indexOf(fact) >= 0, fact + " in " + facts)
            verify(!named(picker, "modelBackend").visible)
            picker.facts = { name: "deepseek-coder-6.7b-instruct", backend: "cpu (2 threads)",
                             backendReason: "auto chose the CPU: no Vulkan device" }
            compare(named(picker, "modelBackend").text, "cpu (2 threads)")
            verify(named(picker, "modelBackend").visible)
            compare(named(picker, "modelBackend").reason, "auto chose the CPU: no Vulkan device")
        }

        // The context the model runs with, as the chat's status line counts it, and what the
        // model was trained for beside it.
        function test_theContextIsTheOneInUse() {
            const picker = create(pickerComponent)
            picker.facts = { name: "deepseek-coder-6.7b-instruct", architecture: "llama", contextSize: 4096,
                             contextLength: 16384 }
            const tokens = count => Number(count).toLocaleString(Qt.locale(), "f", 0)
            compare(named(picker, "modelFacts").text,
                    "llama · %1 context · trained for %2".arg(tokens(4096)).arg(tokens(16384)))
            picker.facts = { name: "deepseek-coder-6.7b-instruct", architecture: "llama", contextSize: 2048,
                             contextLength: 2048 }
            compare(named(picker, "modelFacts").text, "llama · %1 context".arg(tokens(2048)))
        }

        function test_nothingToChooseWhileLoading() {
            const picker = create(pickerComponent)
            verify(named(picker, "modelFacts").text.indexOf("Choose a GGUF file") >= 0)
            picker.loading = true
            compare(named(picker, "modelName").text, "Loading model…")
            verify(!named(picker, "modelFacts").visible)
        }

        function test_menuOfRecentModels() {
            const picker = create(pickerComponent)
            const chosen = spyOn(picker, "modelChosen")
            const forget = spyOn(picker, "forgetRequested")
            const openFile = spyOn(picker, "openFileRequested")
            const menu = named(picker, "modelMenu")
            mouseClick(picker)
            tryCompare(menu, "opened", true)
            const models = findAll(menu.contentItem, "recentModel")
            compare(models.length, 2)
            compare(models[0].text, "deepseek-coder-6.7b-instruct")
            verify(models[0].detail.indexOf("Q4_K_M") >= 0)
            verify(models[0].enabled)
            verify(models[1].detail.indexOf("/gone/lite.gguf") >= 0)
            verify(!models[1].enabled, "a missing file is greyed")
            mouseClick(models[0])
            compare(chosen.count, 1)
            compare(chosen.signalArguments[0][0], "/models/coder.gguf")
            tryCompare(menu, "visible", false)

            mouseClick(picker)
            tryCompare(menu, "opened", true)
            mouseClick(named(menu.contentItem, "forgetMissingItem"))
            compare(forget.count, 1)
            compare(forget.signalArguments[0][0], "/gone/lite.gguf")
            tryCompare(menu, "visible", false)

            mouseClick(picker)
            tryCompare(menu, "opened", true)
            mouseClick(named(menu.contentItem, "openModelItem"))
            compare(openFile.count, 1)
        }

        function test_remoteModelsUnderTheirHeading() {
            const picker = create(pickerComponent, {
                remoteEndpoints: [
                    { name: "DeepSeek API", models: [{ id: "deepseek-chat" }, { id: "deepseek-reasoner" }],
                      listing: false, error: "" },
                    { name: "Lab", models: [], listing: false,
                      error: "Lab refused the connection at http://gpu-box:8000/v1/models." }
                ]
            })
            const chosen = spyOn(picker, "remoteModelChosen")
            const listAgain = spyOn(picker, "remoteListRequested")
            const menu = named(picker, "modelMenu")
            mouseClick(picker)
            tryCompare(menu, "opened", true)
            compare(listAgain.count, 1, "opening the menu asks the endpoints again")
            verify(named(menu.contentItem, "remoteHeading").visible)
            const models = findAll(menu.contentItem, "remoteModel")
            compare(models.map(model => model.text), ["deepseek-chat", "deepseek-reasoner"])
            compare(models[1].detail, "DeepSeek API")
            const status = findAll(menu.contentItem, "remoteEndpointStatus").filter(row => row.visible)
            compare(status.length, 1)
            verify(status[0].detail.indexOf("refused the connection") >= 0)
            mouseClick(models[1])
            compare(chosen.count, 1)
            compare(chosen.signalArguments[0][0], "DeepSeek API")
            compare(chosen.signalArguments[0][1], "deepseek-reasoner")
        }

        function test_aRemoteModelsFacts() {
            const picker = create(pickerComponent)
            picker.facts = { name: "deepseek-chat", endpoint: "DeepSeek API", backend: "remote", remote: true }
            compare(named(picker, "modelName").text, "deepseek-chat")
            compare(named(picker, "modelFacts").text, "Remote: DeepSeek API · context size unknown")
            picker.facts = { name: "deepseek-coder", endpoint: "Lab", backend: "remote", remote: true, contextSize: 16384 }
            verify(named(picker, "modelFacts").text.indexOf(Number(16384).toLocaleString(Qt.locale(), "f", 0)) >= 0)
        }
    }
}
