#include "ui/editor_link.h"

#include <QCoreApplication>
#include <QQmlEngine>

namespace latent::ui {

EditorLink* EditorLink::instance()
{
    static EditorLink* link = new EditorLink(QCoreApplication::instance());
    return link;
}

EditorLink* EditorLink::create(QQmlEngine*, QJSEngine*)
{
    EditorLink* link = instance();
    QQmlEngine::setObjectOwnership(link, QQmlEngine::CppOwnership); // shared by every engine
    return link;
}

void EditorLink::setState(bool available, bool hasSelection)
{
    if (available == available_ && hasSelection == hasSelection_)
        return;
    available_ = available;
    hasSelection_ = hasSelection;
    emit stateChanged();
}

} // namespace latent::ui
