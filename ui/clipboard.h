#pragma once

#include <QObject>
#include <QString>
#include <QtQml/qqmlregistration.h>

namespace latent::ui {

// QML singleton `Clipboard` (module Latent.Ui): Clipboard.copy(text) puts plain text on the
// system clipboard (the Copy buttons of messages and code blocks). Qt Quick has no clipboard API
// outside text fields.
class Clipboard : public QObject {
    Q_OBJECT
    QML_ELEMENT
    QML_SINGLETON

public:
    explicit Clipboard(QObject* parent = nullptr);

    Q_INVOKABLE void copy(const QString& text) const;
};

} // namespace latent::ui
