#pragma once

#include <QList>
#include <QObject>
#include <QString>
#include <QVariantList>
#include <QVariantMap>
#include <QtQml/qqmlregistration.h>

namespace latent::ui {

// A run of a message's markdown: prose, one code block, or one block quote.
struct MarkdownSegment {
    enum class Kind { Text, Code, Quote };
    Kind kind = Kind::Text;
    QString text;     // text: the markdown (a user's text: as typed); code: the raw code, without
                      // the fences; quote: the quoted markdown, without its ">" markers
    QString language; // code: the info string's first word, lower case ("cpp", "python"); may be empty
};

// Splits markdown into prose and fenced code blocks (``` and ~~~, with info strings, indented or
// not). A fence left open (an answer still streaming) runs to the end. Line ends become "\n".
QList<MarkdownSegment> splitFencedCode(const QString& markdown);
// Appends prose as a segment, without the blank lines around it and its trailing spaces; nothing
// if it is blank.
void appendProse(QList<MarkdownSegment>& segments, const QString& text);

// QML singleton `Markdown` (module Latent.Ui). Contract with the QML files:
//   Markdown.segments(markdown) -> [{kind: "text", text: <markdown without the fenced code>},
//                                    {kind: "code", language: "cpp"|..., code: <raw code>,
//                                     html: <the code highlighted, rich text for a Text with
//                                            textFormat: Text.RichText, in a <pre>>},
//                                    {kind: "quote", text: <the quoted markdown>}, ...]
//   (a quote is a segment of its own because Qt Quick's text draws no bar beside a paragraph:
//   the QML file draws it).
//   The colours follow UiSettings.darkMode at the time of the call. A binding that should repaint
//   on a theme switch passes it: Markdown.segments(markdown, UiSettings.darkMode).
//   Markdown.userSegments(text, dark): the same for a user's own message (splitUserText): text
//     and code only, the text plain, to show as typed.
//   Markdown.proseHtml(markdown, {border, link}): a text or quote segment of an answer as rich
//     text in the chat's style (proseHtml in prose_html.h), in the theme's colours given.
class Markdown : public QObject {
    Q_OBJECT
    QML_ELEMENT
    QML_SINGLETON

public:
    explicit Markdown(QObject* parent = nullptr);

    Q_INVOKABLE QVariantList segments(const QString& markdown) const;
    Q_INVOKABLE QVariantList segments(const QString& markdown, bool dark) const;
    Q_INVOKABLE QVariantList userSegments(const QString& text, bool dark) const;
    Q_INVOKABLE QString proseHtml(const QString& markdown, const QVariantMap& colors) const;
};

} // namespace latent::ui
