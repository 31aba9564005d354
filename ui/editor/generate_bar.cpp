#include "ui/editor/generate_bar.h"

#include <QEvent>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>

namespace latent::ui {

GenerateBar::GenerateBar(QWidget* parent) : QFrame(parent)
{
    setObjectName(QStringLiteral("generateBar"));
    setFrameShape(QFrame::StyledPanel);
    field_ = new QLineEdit(this);
    field_->setObjectName(QStringLiteral("generateRequest"));
    field_->setClearButtonEnabled(true);
    button_ = new QPushButton(this);
    button_->setObjectName(QStringLiteral("generateButton"));
    button_->setDefault(true);
    close_ = new QPushButton(this);
    close_->setObjectName(QStringLiteral("generateClose"));
    close_->setFlat(true);
    status_ = new QLabel(this);
    status_->setObjectName(QStringLiteral("generateStatus"));
    status_->setForegroundRole(QPalette::PlaceholderText);

    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(6, 4, 6, 4);
    layout->addWidget(field_, 1);
    layout->addWidget(status_);
    layout->addWidget(button_);
    layout->addWidget(close_);

    connect(field_, &QLineEdit::returnPressed, this, &GenerateBar::submit);
    connect(button_, &QPushButton::clicked, this, &GenerateBar::submit);
    connect(close_, &QPushButton::clicked, this, [this] {
        hide();
        emit closed();
    });
    retranslate();
    hide();
}

void GenerateBar::open()
{
    show();
    field_->setFocus();
    field_->selectAll();
}

void GenerateBar::setRunning(bool running)
{
    running_ = running;
    field_->setReadOnly(running);
    retranslate();
}

void GenerateBar::setStatus(const QString& text)
{
    status_->setText(text);
}

QString GenerateBar::request() const
{
    return field_->text();
}

void GenerateBar::submit()
{
    if (running_)
        emit stopRequested();
    else if (!field_->text().trimmed().isEmpty())
        emit generateRequested(field_->text());
}

void GenerateBar::keyPressEvent(QKeyEvent* event)
{
    if (event->key() == Qt::Key_Escape) {
        if (running_)
            emit stopRequested();
        hide();
        emit closed();
        return;
    }
    QFrame::keyPressEvent(event);
}

void GenerateBar::changeEvent(QEvent* event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    QFrame::changeEvent(event);
}

void GenerateBar::retranslate()
{
    field_->setPlaceholderText(tr("Describe the code to write at the cursor, then press Enter"));
    button_->setText(running_ ? tr("Stop") : tr("Generate"));
    close_->setText(tr("Close"));
}

} // namespace latent::ui
