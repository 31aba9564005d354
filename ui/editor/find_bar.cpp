#include "ui/editor/find_bar.h"

#include <QCheckBox>
#include <QEvent>
#include <QGridLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QRegularExpression>
#include <QStyle>
#include <QToolButton>

namespace latent::ui {

namespace {

bool isEnterKey(const QKeyEvent* event)
{
    return event->key() == Qt::Key_Return || event->key() == Qt::Key_Enter;
}

QToolButton* textButton(QWidget* parent)
{
    auto* button = new QToolButton(parent);
    button->setToolButtonStyle(Qt::ToolButtonTextOnly);
    button->setAutoRaise(true);
    return button;
}

} // namespace

FindBar::FindBar(QWidget* parent)
    : QWidget(parent)
{
    createWidgets();
    layOut();
    retranslate();
    setReplaceVisible(false);
    updateButtons();
    hide();
}

void FindBar::createWidgets()
{
    findField_ = new QLineEdit(this);
    findField_->setObjectName(QStringLiteral("findField"));
    findField_->setClearButtonEnabled(true);
    findField_->installEventFilter(this);
    replaceField_ = new QLineEdit(this);
    replaceField_->setObjectName(QStringLiteral("replaceField"));
    replaceField_->setClearButtonEnabled(true);
    replaceField_->installEventFilter(this);

    regularExpression_ = new QCheckBox(this);
    caseSensitive_ = new QCheckBox(this);
    wholeWord_ = new QCheckBox(this);
    previous_ = textButton(this);
    next_ = textButton(this);
    replace_ = textButton(this);
    replaceAll_ = textButton(this);
    close_ = new QToolButton(this);
    close_->setAutoRaise(true);
    close_->setIcon(QIcon::fromTheme(QStringLiteral("window-close"), style()->standardIcon(QStyle::SP_DialogCloseButton)));
    feedback_ = new QLabel(this);
    feedback_->setObjectName(QStringLiteral("findFeedback"));

    connect(findField_, &QLineEdit::textEdited, this, &FindBar::searchAsYouType);
    connect(findField_, &QLineEdit::textChanged, this, &FindBar::updateButtons);
    for (QCheckBox* box : {regularExpression_, caseSensitive_, wholeWord_})
        connect(box, &QCheckBox::toggled, this, &FindBar::searchAsYouType);
    connect(previous_, &QToolButton::clicked, this, &FindBar::findPrevious);
    connect(next_, &QToolButton::clicked, this, &FindBar::findNext);
    connect(replace_, &QToolButton::clicked, this, &FindBar::replaceNext);
    connect(replaceAll_, &QToolButton::clicked, this, &FindBar::replaceAll);
    connect(close_, &QToolButton::clicked, this, &FindBar::hideBar);
}

void FindBar::layOut()
{
    // Two rows that share their columns, so the replace field lines up under the find field:
    //   [find field   ] [Previous] [Next       ] [options...] [feedback] [x]
    //   [replace field] [Replace ] [Replace All]
    auto* grid = new QGridLayout(this);
    grid->setContentsMargins(6, 3, 6, 3);
    grid->setHorizontalSpacing(4);
    grid->setVerticalSpacing(2);
    grid->addWidget(findField_, 0, 0);
    grid->addWidget(previous_, 0, 1);
    grid->addWidget(next_, 0, 2);
    auto* options = new QHBoxLayout;
    options->setSpacing(10);
    options->addWidget(caseSensitive_);
    options->addWidget(wholeWord_);
    options->addWidget(regularExpression_);
    grid->addLayout(options, 0, 3);
    grid->addWidget(feedback_, 0, 4);
    grid->addWidget(close_, 0, 5, Qt::AlignRight);
    grid->addWidget(replaceField_, 1, 0);
    grid->addWidget(replace_, 1, 1);
    grid->addWidget(replaceAll_, 1, 2);
    grid->setColumnStretch(0, 3);
    grid->setColumnStretch(4, 1);
}

void FindBar::retranslate()
{
    findField_->setPlaceholderText(tr("Find"));
    replaceField_->setPlaceholderText(tr("Replace with"));
    regularExpression_->setText(tr("Regular e&xpression"));
    caseSensitive_->setText(tr("Match &case"));
    wholeWord_->setText(tr("&Whole word"));
    previous_->setText(tr("Previous"));
    previous_->setToolTip(tr("Find the previous match (Shift+Enter)"));
    next_->setText(tr("Next"));
    next_->setToolTip(tr("Find the next match (Enter)"));
    replace_->setText(tr("Replace"));
    replace_->setToolTip(tr("Replace this match and find the next one (Enter)"));
    replaceAll_->setText(tr("Replace All"));
    close_->setToolTip(tr("Close (Esc)"));
}

void FindBar::setEditor(CodeEditor* editor)
{
    editor_ = editor;
    setFeedback({});
    updateButtons();
}

void FindBar::showFind()
{
    open(false);
}

void FindBar::showReplace()
{
    open(true);
}

void FindBar::open(bool withReplace)
{
    if (editor_ && editor_->hasSelection()) {
        const QString selected = editor_->selectedText();
        if (!selected.contains(QLatin1Char('\n')) && !selected.contains(QLatin1Char('\r')))
            findField_->setText(selected);
    }
    setReplaceVisible(withReplace);
    setFeedback({});
    show();
    findField_->selectAll();
    findField_->setFocus(Qt::ShortcutFocusReason);
}

void FindBar::hideBar()
{
    hide();
    if (editor_)
        editor_->focus();
}

bool FindBar::findNext()
{
    return find(true);
}

bool FindBar::findPrevious()
{
    return find(false);
}

bool FindBar::find(bool forward)
{
    if (!canSearch())
        return false;
    const bool found = editor_->find(options(), forward);
    setFeedback(found ? QString() : tr("No matches"));
    return found;
}

bool FindBar::replaceNext()
{
    if (!canSearch())
        return false;
    const bool found = editor_->replaceAndFindNext(options(), replaceField_->text());
    setFeedback(found ? QString() : tr("No more matches"));
    return found;
}

int FindBar::replaceAll()
{
    if (!canSearch())
        return 0;
    const int count = editor_->replaceEveryMatch(options(), replaceField_->text());
    if (count == 0)
        setFeedback(tr("No matches"));
    else if (count == 1)
        setFeedback(tr("Replaced 1 match"));
    else
        setFeedback(tr("Replaced %1 matches").arg(count));
    return count;
}

void FindBar::searchAsYouType()
{
    if (findField_->text().isEmpty() || !editor_) {
        setFeedback({});
        return;
    }
    // From where the current match starts, so that typing one more letter extends the match in
    // place rather than jumping to the next one.
    if (canSearch()) {
        editor_->setCursorOffset(editor_->selectionStart());
        find(true);
    }
}

bool FindBar::canSearch()
{
    if (!editor_ || findField_->text().isEmpty())
        return false;
    if (regularExpression_->isChecked() && !QRegularExpression(findField_->text()).isValid()) {
        setFeedback(tr("Invalid regular expression"));
        return false;
    }
    return true;
}

FindOptions FindBar::options() const
{
    FindOptions options;
    options.pattern = findField_->text();
    options.regularExpression = regularExpression_->isChecked();
    options.caseSensitive = caseSensitive_->isChecked();
    options.wholeWord = wholeWord_->isChecked();
    return options;
}

QString FindBar::feedback() const
{
    return feedback_->text();
}

void FindBar::setFeedback(const QString& text)
{
    feedback_->setText(text);
}

void FindBar::updateButtons()
{
    const bool canFind = editor_ && !findField_->text().isEmpty();
    for (QToolButton* button : {previous_, next_, replace_, replaceAll_})
        button->setEnabled(canFind);
}

void FindBar::setReplaceVisible(bool visible)
{
    for (QWidget* widget : std::initializer_list<QWidget*>{replaceField_, replace_, replaceAll_})
        widget->setVisible(visible);
}

bool FindBar::eventFilter(QObject* watched, QEvent* event)
{
    if (event->type() == QEvent::KeyPress) {
        const auto* key = static_cast<QKeyEvent*>(event);
        if (isEnterKey(key)) {
            if (watched == replaceField_)
                replaceNext();
            else if (key->modifiers() & Qt::ShiftModifier)
                findPrevious();
            else
                findNext();
            return true;
        }
    }
    return QWidget::eventFilter(watched, event);
}

void FindBar::keyPressEvent(QKeyEvent* event)
{
    // Esc reaches the bar from any of its fields and buttons, which do not take it.
    if (event->key() == Qt::Key_Escape) {
        hideBar();
        event->accept();
        return;
    }
    QWidget::keyPressEvent(event);
}

void FindBar::changeEvent(QEvent* event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    QWidget::changeEvent(event);
}

} // namespace latent::ui
