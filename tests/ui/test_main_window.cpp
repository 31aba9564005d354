// The desktop app's window opens, its QML loads without errors or warnings, and it shows the
// name, the version and that no model is loaded.

#include "ui/main_window.h"

#include <QApplication>
#include <QQuickItem>
#include <QQuickWidget>
#include <QTest>

namespace {

QStringList g_warnings;
QtMessageHandler g_previousHandler = nullptr;

// Collects warnings from QML (bindings, imports, types); the offscreen platform's own notices
// (such as "does not support propagateSizeHints") are not ours to fix.
void collectWarnings(QtMsgType type, const QMessageLogContext& context, const QString& message)
{
    const QLatin1String category(context.category ? context.category : "");
    const bool fromQml = category == QLatin1String("qml") || category == QLatin1String("js") ||
                         category.startsWith(QLatin1String("qt.qml")) || message.contains(QLatin1String(".qml"));
    if (type != QtDebugMsg && type != QtInfoMsg && fromQml)
        g_warnings << message;
    g_previousHandler(type, context, message);
}

QString textOf(QQuickItem* root, const char* objectName)
{
    auto* item = root->findChild<QObject*>(QLatin1String(objectName));
    return item ? item->property("text").toString() : QStringLiteral("<no item named %1>").arg(objectName);
}

} // namespace

class MainWindowTest : public QObject {
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QApplication::setApplicationName(QStringLiteral("Latent"));
        QApplication::setApplicationVersion(QStringLiteral("9.8.7"));
        g_previousHandler = qInstallMessageHandler(collectWarnings);
    }

    void showsNameVersionAndNoModel()
    {
        latent::ui::MainWindow window;
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));

        QQuickWidget* view = window.chatView();
        QTRY_COMPARE(view->status(), QQuickWidget::Ready);
        QVERIFY(view->errors().isEmpty());
        QQuickItem* root = view->rootObject();
        QVERIFY(root);
        QCOMPARE(textOf(root, "appName"), QStringLiteral("Latent"));
        QCOMPARE(textOf(root, "appVersion"), QStringLiteral("Version 9.8.7"));
        QCOMPARE(textOf(root, "modelStatus"), QStringLiteral("No model loaded"));
        QCOMPARE(root->size(), QSizeF(view->size())); // the scene fills the window
        QVERIFY2(g_warnings.isEmpty(), qPrintable(g_warnings.join('\n')));
    }
};

QTEST_MAIN(MainWindowTest)
#include "test_main_window.moc"
