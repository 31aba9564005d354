#pragma once

#include "app/store/chat_store.h"

#include <QCoreApplication>
#include <QString>

#include <memory>

namespace latent::ui {

// Opening the conversation database at start. When that fails, the user learns why and chooses:
// retry, quit, or (unless another program holds the database) move the file aside under a new
// name and start with an empty one. Nothing is ever deleted.
class StoreOpening {
    Q_DECLARE_TR_FUNCTIONS(latent::ui::StoreOpening)

public:
    static std::unique_ptr<app::ChatStore> open(const QString& path); // nullptr: the user quit

private:
    static bool isLockedByAnotherProgram(const QString& path);
    static QString moveAside(const QString& path);
};

} // namespace latent::ui
