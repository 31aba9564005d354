#pragma once

#include "app/coding/line_diff.h"

#include <QDialog>
#include <QList>

class QLabel;
class QPlainTextEdit;

namespace latent::ui {

// Shows what applying a chat code block to the editor would change, before it is applied: the
// changed lines with three lines of context, removed lines red and added lines green, each with
// its old and new line number, and a count of lines added and removed. Apply accepts; Cancel and
// Esc reject, changing nothing.
class DiffPreviewDialog : public QDialog {
    Q_OBJECT

public:
    DiffPreviewDialog(const QString& title, const QString& before, const QString& after, bool dark,
                      QWidget* parent = nullptr);

    // The rows shown (hunks with their context), for tests and for the count.
    const QList<app::DiffLine>& rows() const { return rows_; }
    int addedLines() const { return added_; }
    int removedLines() const { return removed_; }
    QPlainTextEdit* view() const { return view_; }

private:
    void fill(bool dark);

    QList<app::DiffLine> rows_;
    int added_ = 0;
    int removed_ = 0;
    QLabel* summary_ = nullptr;
    QPlainTextEdit* view_ = nullptr;
};

} // namespace latent::ui
