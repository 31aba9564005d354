#pragma once

#include <QList>
#include <QObject>
#include <QString>
#include <QVariantList>
#include <QtQml/qqmlregistration.h>

namespace latent::ui {

// A run of a message's markdown: prose, or one fenced code block.
struct MarkdownSegment {
    bool isCode = false;
    QString text;     // prose: the markdown text; code: the raw code, without the fences
    QString language; // code: the info string's first word, lower case ("cpp", "python"); may be empty
};

// Splits markdown into prose and fenced code blocks (``` and ~~~, with info strings, indented or
// not). A fence left open (an answer still streaming) runs to the end. Line ends become "\n".
QList<MarkdownSegment> splitFencedCode(const QString& markdown);

// QML singleton `Markdown` (module Latent.Ui). Contract with the QML files:
//   Markdown.segments(markdown) -> [{kind: "text", text: <markdown without the fenced code>},
//                                    {kind: "code", language: "cpp"|..., code: <raw code>,
//                                     html: <the code highlighted, rich text for a Text with
//                                            textFormat: Text.RichText, in a <pre>>}, ...]
//   The colours follow UiSettings.darkMode at the time of the call. A binding that should repaint
//   on a theme switch passes it: Markdown.segments(markdown, UiSettings.darkMode).
class Markdown : public QObject {
    Q_OBJECT
    QML_ELEMENT
    QML_SINGLETON

public:
    explicit Markdown(QObject* parent = nullptr);

    Q_INVOKABLE QVariantList segments(const QString& markdown) const;
    Q_INVOKABLE QVariantList segments(const QString& markdown, bool dark) const;
};

} // namespace latent::ui
