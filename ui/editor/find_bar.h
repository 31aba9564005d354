#pragma once

#include "ui/editor/code_editor.h"

#include <QPointer>
#include <QWidget>

class QCheckBox;
class QLabel;
class QLineEdit;
class QToolButton;

namespace latent::ui {

// The find and replace bar under the editor's tabs, hidden until Find or Replace. It searches
// the editor it is given (CodeEditor::find and its kin) as you type, from where the match being
// extended starts. Enter finds the next match and Shift+Enter the previous one (in the replace
// field Enter replaces); Esc closes the bar and gives the focus back to the editor. What happened
// is said in a label: "No matches", "Invalid regular expression", "Replaced 3 matches".
class FindBar : public QWidget {
    Q_OBJECT

public:
    explicit FindBar(QWidget* parent = nullptr);

    void setEditor(CodeEditor* editor); // null while no file is open

    void showFind(); // the find field focused and filled with the selection (a single line)
    void showReplace();
    void hideBar(); // and the focus back to the editor

    bool findNext();
    bool findPrevious();
    bool replaceNext();
    int replaceAll();

    FindOptions options() const;
    QString feedback() const; // the label's text: empty, or what the last step found

    QLineEdit* findField() const { return findField_; }
    QLineEdit* replaceField() const { return replaceField_; }
    QCheckBox* regularExpressionBox() const { return regularExpression_; }
    QCheckBox* caseSensitiveBox() const { return caseSensitive_; }
    QCheckBox* wholeWordBox() const { return wholeWord_; }

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;
    void changeEvent(QEvent* event) override;

private:
    void open(bool withReplace);
    void createWidgets();
    void layOut();
    void retranslate();
    void searchAsYouType();
    bool find(bool forward);
    bool canSearch(); // says why not in the label
    void setFeedback(const QString& text);
    void updateButtons();
    void setReplaceVisible(bool visible);

    QPointer<CodeEditor> editor_;
    QLineEdit* findField_ = nullptr;
    QLineEdit* replaceField_ = nullptr;
    QCheckBox* regularExpression_ = nullptr;
    QCheckBox* caseSensitive_ = nullptr;
    QCheckBox* wholeWord_ = nullptr;
    QToolButton* previous_ = nullptr;
    QToolButton* next_ = nullptr;
    QToolButton* replace_ = nullptr;
    QToolButton* replaceAll_ = nullptr;
    QToolButton* close_ = nullptr;
    QLabel* feedback_ = nullptr;
};

} // namespace latent::ui
