#include "qml_warnings.h"

#include <QLatin1String>
#include <QMutex>
#include <QtGlobal>

#include <utility>

namespace {

QMutex mutex;
QStringList warnings;
QtMessageHandler previousHandler = nullptr;

void collect(QtMsgType type, const QMessageLogContext& context, const QString& message)
{
    const QLatin1String category(context.category ? context.category : "");
    const bool fromQml = category == QLatin1String("qml") || category == QLatin1String("js") ||
                         category.startsWith(QLatin1String("qt.qml")) || message.contains(QLatin1String(".qml"));
    if (type != QtDebugMsg && type != QtInfoMsg && fromQml) {
        const QMutexLocker lock(&mutex);
        warnings << message;
    }
    previousHandler(type, context, message);
}

} // namespace

void collectQmlWarnings()
{
    previousHandler = qInstallMessageHandler(collect);
}

QStringList takeQmlWarnings()
{
    const QMutexLocker lock(&mutex);
    return std::exchange(warnings, {});
}
