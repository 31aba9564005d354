#include "ui/editor/diff_preview_dialog.h"

#include <QDialogButtonBox>
#include <QFontDatabase>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTextBlock>
#include <QTextCursor>
#include <QVBoxLayout>

namespace latent::ui {
namespace {

struct DiffColours {
    QColor added, removed, gap, text, muted;
};

DiffColours coloursFor(bool dark)
{
    if (dark)
        return {QColor(0x1f, 0x3a, 0x2a), QColor(0x4a, 0x22, 0x26), QColor(0x26, 0x28, 0x2c), QColor(0xe4, 0xe6, 0xea),
                QColor(0x9a, 0xa0, 0xa8)};
    return {QColor(0xe6, 0xff, 0xec), QColor(0xff, 0xeb, 0xe9), QColor(0xf0, 0xf2, 0xf5), QColor(0x1f, 0x23, 0x28),
            QColor(0x65, 0x6d, 0x76)};
}

QString lineNumber(int number)
{
    return number > 0 ? QString::number(number).rightJustified(5) : QString(5, u' ');
}

} // namespace

DiffPreviewDialog::DiffPreviewDialog(const QString& title, const QString& before, const QString& after, bool dark,
                                     QWidget* parent)
    : QDialog(parent)
{
    setWindowTitle(title);
    setObjectName(QStringLiteral("diffPreview"));
    const QList<app::DiffLine> all = app::lineDiff(before, after);
    for (const app::DiffLine& line : all) {
        added_ += line.kind == app::DiffLine::Kind::Added;
        removed_ += line.kind == app::DiffLine::Kind::Removed;
    }
    rows_ = app::diffHunks(all, 3);

    summary_ = new QLabel(this);
    summary_->setObjectName(QStringLiteral("diffSummary"));
    view_ = new QPlainTextEdit(this);
    view_->setObjectName(QStringLiteral("diffView"));
    view_->setReadOnly(true);
    view_->setLineWrapMode(QPlainTextEdit::NoWrap);
    view_->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    fill(dark);

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    QPushButton* apply = buttons->addButton(tr("Apply"), QDialogButtonBox::AcceptRole);
    apply->setObjectName(QStringLiteral("applyButton"));
    apply->setDefault(true);
    apply->setEnabled(added_ + removed_ > 0);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(summary_);
    layout->addWidget(view_, 1);
    layout->addWidget(buttons);
    resize(820, 520);
}

void DiffPreviewDialog::fill(bool dark)
{
    if (added_ + removed_ == 0)
        summary_->setText(tr("Nothing changes: the code is already there."));
    else
        summary_->setText(tr("%n line(s) added", nullptr, added_) + QStringLiteral(", ") +
                          tr("%n line(s) removed", nullptr, removed_));

    const DiffColours colours = coloursFor(dark);
    QPalette palette = view_->palette();
    palette.setColor(QPalette::Base, dark ? QColor(0x1e, 0x1f, 0x22) : QColor(Qt::white));
    palette.setColor(QPalette::Text, colours.text);
    view_->setPalette(palette);

    QTextCursor cursor(view_->document());
    bool first = true;
    for (const app::DiffLine& row : rows_) {
        if (!first)
            cursor.insertBlock();
        first = false;
        QTextBlockFormat block;
        QTextCharFormat chars;
        chars.setForeground(colours.text);
        QString marker = QStringLiteral("  ");
        switch (row.kind) {
        case app::DiffLine::Kind::Added:
            block.setBackground(colours.added);
            marker = QStringLiteral("+ ");
            break;
        case app::DiffLine::Kind::Removed:
            block.setBackground(colours.removed);
            marker = QStringLiteral("- ");
            break;
        case app::DiffLine::Kind::Same:
            break;
        }
        if (row.isGap()) {
            block.setBackground(colours.gap);
            chars.setForeground(colours.muted);
            cursor.setBlockFormat(block);
            cursor.insertText(QStringLiteral("  ⋯"), chars);
            continue;
        }
        cursor.setBlockFormat(block);
        cursor.insertText(lineNumber(row.oldLine) + u' ' + lineNumber(row.newLine) + QStringLiteral("  ") + marker +
                              row.text,
                          chars);
    }
    view_->moveCursor(QTextCursor::Start);
}

} // namespace latent::ui
