import QtQuick
import QtQuick.Layouts
import Latent.Ui

// Which DeepSeek models fit which machines: the file at Q4_K_M (a good size/quality balance)
// and the memory it wants. The file must fit in RAM (or VRAM) with room for the context.
GridLayout {
    id: table

    readonly property var rows: [
        { model: qsTr("DeepSeek-Coder 1.3B"), size: qsTr("~1 GB"),
          machine: qsTr("Any laptop with 4 GB of RAM") },
        { model: qsTr("DeepSeek-Coder 6.7B, deepseek-llm 7B, deepseek-math 7B"), size: qsTr("~4 GB"),
          machine: qsTr("8 GB of RAM") },
        { model: qsTr("DeepSeek-Coder-V2-Lite, DeepSeek-V2-Lite (16B MoE)"), size: qsTr("~10 GB"),
          machine: qsTr("16 GB of RAM; fast, as only 2.4B parameters work per token (MoE)") },
        { model: qsTr("DeepSeek-Coder 33B"), size: qsTr("~20 GB"),
          machine: qsTr("32 GB of RAM") },
        { model: qsTr("DeepSeek-V2 236B, DeepSeek-V3 671B"), size: qsTr("~140 GB, ~400 GB"),
          machine: qsTr("Workstation or server memory") }
    ]
    readonly property var headers: [qsTr("Model"), qsTr("File at Q4_K_M"), qsTr("Runs on")]
    readonly property int rowCount: rows.length

    columns: 3
    columnSpacing: Theme.spacingLarge
    rowSpacing: Theme.spacingSmall

    Repeater {
        model: table.headers
        delegate: Text {
            required property string modelData
            text: modelData
            color: Theme.textMuted
            font.pixelSize: Theme.fontSizeSmall
            font.weight: Font.DemiBold
        }
    }

    // The cells row by row: the GridLayout places them in its three columns.
    Repeater {
        model: table.rows.reduce((cells, row) => cells.concat([row.model, row.size, row.machine]), [])
        delegate: Text {
            required property string modelData
            required property int index
            Layout.fillWidth: index % 3 !== 1
            Layout.preferredWidth: index % 3 === 1 ? implicitWidth : 200
            text: modelData
            color: Theme.text
            font.pixelSize: Theme.fontSizeBody
            font.weight: index % 3 === 0 ? Font.DemiBold : Font.Normal
            wrapMode: Text.Wrap
        }
    }
}
