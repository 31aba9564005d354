#include "ui/clipboard.h"

#include <QClipboard>
#include <QGuiApplication>

namespace latent::ui {

Clipboard::Clipboard(QObject* parent) : QObject(parent) {}

void Clipboard::copy(const QString& text) const
{
    QGuiApplication::clipboard()->setText(text);
}

} // namespace latent::ui
