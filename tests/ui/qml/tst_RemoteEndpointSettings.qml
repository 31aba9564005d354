import QtQuick
import Latent.Ui

Item {
    width: 640
    height: 700

    // A stand-in for RemoteModels: its presets and endpoints, and the calls it was asked.
    Component {
        id: remoteComponent
        QtObject {
            property var presets: [
                { kind: "deepseek", name: "DeepSeek API", baseUrl: "https://api.deepseek.com/v1", needsKey: true },
                { kind: "vllm", name: "vLLM", baseUrl: "http://localhost:8000/v1", needsKey: false }
            ]
            property var endpoints: []
            property var calls: []
            property string refusal: ""

            function addEndpoint(name, baseUrl, kind, apiKey) {
                calls.push(["add", name, baseUrl, kind, apiKey])
                if (refusal !== "")
                    return refusal
                endpoints = endpoints.concat([{ name: name, baseUrl: baseUrl, kind: kind, models: [],
                                                listing: true, error: "", keyInFile: apiKey !== "" }])
                return ""
            }
            function listModels(name) { calls.push(["list", name]) }
            function removeEndpoint(name) {
                calls.push(["remove", name])
                endpoints = endpoints.filter(endpoint => endpoint.name !== name)
            }
        }
    }

    Component {
        id: sectionComponent
        RemoteEndpointSettings {
            width: 600
        }
    }

    ComponentTestCase {
        name: "RemoteEndpointSettings"

        function section(remote) {
            return create(sectionComponent, { remote: remote })
        }

        function test_addFromAPresetWithAMaskedKey() {
            const remote = create(remoteComponent)
            const page = section(remote)
            // The first preset fills the form.
            compare(named(page, "endpointNameField").text, "DeepSeek API")
            compare(named(page, "endpointUrlField").text, "https://api.deepseek.com/v1")
            const key = named(page, "endpointKeyField")
            compare(key.echoMode, TextInput.Password)
            key.text = "sk-secret"
            mouseClick(named(page, "addEndpointButton"))
            compare(remote.calls[0], ["add", "DeepSeek API", "https://api.deepseek.com/v1", "deepseek", "sk-secret"])
            compare(key.text, "", "the key leaves the form once kept")
            const rows = findAll(page, "endpointRow")
            compare(rows.length, 1)
            compare(named(rows[0], "endpointStatus").text, "Listing its models…")
            verify(named(rows[0], "keyInFileNote").visible)
        }

        function test_anotherPresetAndAByHandEndpoint() {
            const remote = create(remoteComponent)
            const page = section(remote)
            const presets = named(page, "presetBox")
            compare(presets.count, 3, "the presets, then one by hand")
            presets.currentIndex = 1
            presets.activated(1)
            compare(named(page, "endpointUrlField").text, "http://localhost:8000/v1")
            presets.currentIndex = 2
            presets.activated(2)
            named(page, "endpointNameField").text = "Box"
            named(page, "endpointUrlField").text = "http://box:9000/v1"
            mouseClick(named(page, "addEndpointButton"))
            compare(remote.calls[0], ["add", "Box", "http://box:9000/v1", "custom", ""])
        }

        function test_aRefusedEndpointSaysWhy() {
            const remote = create(remoteComponent, { refusal: "The base URL of Box must be an http:// or https:// address" })
            const page = section(remote)
            mouseClick(named(page, "addEndpointButton"))
            const problem = named(page, "endpointProblem")
            verify(problem.visible)
            verify(problem.text.indexOf("http://") >= 0)
            compare(findAll(page, "endpointRow").length, 0)
        }

        function test_testAndRemove() {
            const remote = create(remoteComponent, {
                endpoints: [
                    { name: "Lab", baseUrl: "http://gpu-box:8000/v1", kind: "vllm", listing: false, keyInFile: false,
                      models: [{ id: "deepseek-coder-33b", contextSize: 16384 }], error: "" },
                    { name: "Ollama", baseUrl: "http://localhost:11434/v1", kind: "ollama", listing: false,
                      keyInFile: false, models: [],
                      error: "Ollama refused the connection at http://localhost:11434/v1/models." }
                ]
            })
            const page = section(remote)
            const rows = findAll(page, "endpointRow")
            compare(rows.length, 2)
            compare(named(rows[0], "endpointStatus").text, "deepseek-coder-33b")
            verify(named(rows[1], "endpointStatus").text.indexOf("refused the connection") >= 0)
            compare(named(rows[1], "endpointStatus").color, Theme.danger)
            mouseClick(named(rows[1], "testEndpointButton"))
            compare(remote.calls[0], ["list", "Ollama"])
            mouseClick(named(rows[1], "removeEndpointButton"))
            compare(remote.calls[1], ["remove", "Ollama"])
            tryVerify(() => findAll(page, "endpointRow").length === 1)
        }
    }
}
