#include "ui/markdown.h"

#include "app/coding/fenced_code.h"
#include "ui/block_quotes.h"
#include "ui/code_highlighter.h"
#include "ui/prose_html.h"
#include "ui/user_text.h"
#include "ui/uisettings.h"

#include <optional>

namespace latent::ui {

namespace {

// "cpp" from "cpp", "C++ title=main.cpp" gives "c++", pandoc's "{.python}" gives "python".
QString languageOf(const QString& info)
{
    QString word = info.section(u' ', 0, 0, QString::SectionSkipEmpty);
    word.remove(u'{').remove(u'}');
    if (word.startsWith(u'.'))
        word.remove(0, 1);
    return word.toLower();
}

// The segments as the QML files take them (see Markdown's contract).
QVariantList toVariantList(const QList<MarkdownSegment>& segments, bool dark)
{
    QVariantList list;
    for (const MarkdownSegment& segment : segments) {
        if (segment.kind == MarkdownSegment::Kind::Code) {
            list.append(QVariantMap{
                {QStringLiteral("kind"), QStringLiteral("code")},
                {QStringLiteral("language"), segment.language},
                {QStringLiteral("code"), segment.text},
                {QStringLiteral("html"), highlightCodeHtml(segment.text, segment.language, dark)},
            });
        } else {
            const bool quote = segment.kind == MarkdownSegment::Kind::Quote;
            list.append(QVariantMap{{QStringLiteral("kind"), quote ? QStringLiteral("quote") : QStringLiteral("text")},
                                    {QStringLiteral("text"), segment.text}});
        }
    }
    return list;
}

} // namespace

void appendProse(QList<MarkdownSegment>& segments, const QString& text)
{
    qsizetype begin = 0;
    while (begin < text.size() && text[begin] == u'\n')
        ++begin;
    qsizetype end = text.size();
    while (end > begin && text[end - 1].isSpace())
        --end;
    if (end > begin)
        segments.append({MarkdownSegment::Kind::Text, text.sliced(begin, end - begin), {}});
}

QList<MarkdownSegment> splitFencedCode(const QString& markdown)
{
    QString normalized = markdown;
    normalized.replace(QStringLiteral("\r\n"), QStringLiteral("\n")).replace(u'\r', u'\n');
    if (normalized.endsWith(u'\n'))
        normalized.chop(1); // a last line end ends the last line; it does not start an empty one

    QList<MarkdownSegment> segments;
    QString prose;
    QString code;
    QString info;
    std::optional<app::CodeFence> fence;
    bool firstCodeLine = true;
    for (QStringView line : QStringView(normalized).split(u'\n')) {
        if (fence) {
            if (app::closesFence(line, *fence)) {
                segments.append({MarkdownSegment::Kind::Code, code, languageOf(info)});
                fence.reset();
                continue;
            }
            if (!firstCodeLine)
                code += u'\n';
            code += app::withoutFenceIndent(line, *fence);
            firstCodeLine = false;
        } else if ((fence = app::openingFence(line, &info))) {
            appendProse(segments, prose);
            prose.clear();
            code.clear();
            firstCodeLine = true;
        } else {
            prose += line;
            prose += u'\n';
        }
    }
    if (fence)
        segments.append({MarkdownSegment::Kind::Code, code, languageOf(info)}); // still streaming: code to the end
    appendProse(segments, prose);
    return segments;
}

Markdown::Markdown(QObject* parent) : QObject(parent) {}

QVariantList Markdown::segments(const QString& markdown) const
{
    return segments(markdown, UiSettings::instance()->darkMode());
}

QVariantList Markdown::segments(const QString& markdown, bool dark) const
{
    return toVariantList(splitBlockQuotes(splitFencedCode(markdown)), dark);
}

QVariantList Markdown::userSegments(const QString& text, bool dark) const
{
    return toVariantList(splitUserText(text), dark);
}

QString Markdown::proseHtml(const QString& markdown, const QVariantMap& colors) const
{
    return latent::ui::proseHtml(markdown, {colors.value(QStringLiteral("border")).value<QColor>(),
                                            colors.value(QStringLiteral("link")).value<QColor>()});
}

} // namespace latent::ui
