#include "ui/app_types.h"

#include "app/chat/model_manager.h"

#include <QQmlEngine>

namespace latent::ui {

void registerAppTypes()
{
    static const bool registered = [] {
        qmlRegisterUncreatableMetaObject(app::ModelManager::staticMetaObject, "Latent.App", 1, 0, "ModelManager",
                                         QStringLiteral("the model manager is the context property `models`"));
        return true;
    }();
    (void)registered;
}

} // namespace latent::ui
