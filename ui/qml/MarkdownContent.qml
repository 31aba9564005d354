import QtQuick
import Latent.Ui

// A message's markdown as Markdown.segments splits it: prose as selectable rich text in the chat's
// style (Markdown.proseHtml), fenced code as CodeBlocks, quotes beside a bar (Qt Quick's text
// draws none). A user's own text (userText) is not markdown: Markdown.userSegments keeps it as
// typed, with its code in CodeBlocks. Segments live in a ListModel updated in place, so a
// streaming answer only re-lays out its last segment instead of recreating every block at each
// token.
Column {
    id: content

    property string markdown
    property bool userText: false
    property color textColor: Theme.text
    // The widest segment unwrapped, for a bubble that hugs short messages; whole pixels, as
    // layouts round a code block's width down, which would then scroll by a fraction of a pixel.
    readonly property real naturalWidth: {
        let widest = 0
        for (let i = 0; i < segments.count; ++i) {
            const segment = segments.itemAt(i)
            if (segment)
                widest = Math.max(widest, segment.implicitWidth)
        }
        return Math.ceil(widest)
    }

    // The theme's colours the prose draws with besides its text; a theme switch restyles it.
    readonly property var proseColors: ({ border: Theme.border, link: Theme.link })

    // Prose, a quote's too: selectable, wrapped, links open in the browser.
    component MessageText: TextEdit {
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

    signal codeCopied()

    function refresh() {
        const parts = userText ? Markdown.userSegments(markdown, Theme.dark) : Markdown.segments(markdown, Theme.dark)
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
    // A TextEdit turned from rich to plain text would show its HTML: new delegates take the format.
    onUserTextChanged: {
        segmentModel.clear()
        refresh()
    }
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
            sourceComponent: kind === "code" ? codeComponent : kind === "quote" ? quoteComponent : textComponent

            Component {
                id: textComponent
                MessageText {
                    objectName: "markdownText"
                    text: content.userText ? segment.text : Markdown.proseHtml(segment.text, content.proseColors)
                    textFormat: content.userText ? TextEdit.PlainText : TextEdit.RichText
                }
            }
            Component {
                id: quoteComponent
                Item {
                    implicitWidth: quoteText.x + quoteText.implicitWidth
                    implicitHeight: quoteText.height

                    Rectangle {
                        objectName: "quoteBar"
                        width: 3
                        height: parent.height
                        radius: width / 2
                        color: Theme.textDisabled
                    }
                    MessageText {
                        id: quoteText
                        objectName: "quoteText"
                        x: 3 + Theme.spacingMedium
                        width: parent.width - x
                        text: Markdown.proseHtml(segment.text, content.proseColors)
                        textFormat: TextEdit.RichText
                        color: Theme.textMuted
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
