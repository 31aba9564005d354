import QtQuick
import Latent.Ui

// A message's markdown as Markdown.segments splits it: prose as selectable rich text, fenced code
// as CodeBlocks. Segments live in a ListModel updated in place, so a streaming answer only
// re-lays out its last segment instead of recreating every block at each token.
Column {
    id: content

    property string markdown
    property color textColor: Theme.text
    // The widest segment unwrapped, for a bubble that hugs short messages.
    readonly property real naturalWidth: {
        let widest = 0
        for (let i = 0; i < segments.count; ++i) {
            const segment = segments.itemAt(i)
            if (segment)
                widest = Math.max(widest, segment.implicitWidth)
        }
        return widest
    }

    signal codeCopied()

    function refresh() {
        const parts = Markdown.segments(markdown, Theme.dark)
        for (let i = 0; i < parts.length; ++i) {
            const part = parts[i]
            const row = {
                kind: part.kind,
                text: part.text ?? "",
                language: part.language ?? "",
                code: part.code ?? "",
                html: part.html ?? ""
            }
            if (i < segmentModel.count)
                segmentModel.set(i, row)
            else
                segmentModel.append(row)
        }
        if (segmentModel.count > parts.length)
            segmentModel.remove(parts.length, segmentModel.count - parts.length)
    }

    onMarkdownChanged: refresh()
    // Code is highlighted in the theme's colors: a theme switch highlights it again.
    Connections {
        target: Theme
        function onDarkChanged() { content.refresh() }
    }
    Component.onCompleted: refresh()
    spacing: Theme.spacingMedium

    ListModel {
        id: segmentModel
    }

    Repeater {
        id: segments
        model: segmentModel
        delegate: Loader {
            id: segment

            required property string kind
            required property string text
            required property string language
            required property string code
            required property string html

            width: content.width
            sourceComponent: kind === "code" ? codeComponent : textComponent

            Component {
                id: textComponent
                TextEdit {
                    objectName: "markdownText"
                    text: segment.text
                    textFormat: TextEdit.MarkdownText
                    wrapMode: TextEdit.Wrap
                    readOnly: true
                    selectByMouse: true
                    color: content.textColor
                    font.pixelSize: Theme.fontSizeBody
                    selectionColor: Theme.accent
                    selectedTextColor: Theme.accentText
                    onLinkActivated: (link) => Qt.openUrlExternally(link)

                    HoverHandler {
                        cursorShape: parent.hoveredLink !== "" ? Qt.PointingHandCursor : Qt.IBeamCursor
                    }
                }
            }
            Component {
                id: codeComponent
                CodeBlock {
                    language: segment.language
                    code: segment.code
                    html: segment.html
                    onCopied: content.codeCopied()
                }
            }
        }
    }
}
