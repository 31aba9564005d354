// Every QML file of module Latent.Ui compiles, and every one that can stand alone is created in a
// window, beside the real `chat` and `models` (on a temporary store), with no error and no
// warning. Components with required properties (delegates) are only compiled: what fills them in
// is the view that uses them, and that view is created here.

#include "qml_warnings.h"
#include "test_settings.h"

#include "app/chat/chat_controller.h"
#include "app/chat/model_manager.h"
#include "app/downloads/model_downloads.h"
#include "app/store/chat_store.h"
#include "ui/app_types.h"

#include <QApplication>
#include <QDir>
#include <QNetworkAccessManager>
#include <QFile>
#include <QQmlComponent>
#include <QQmlContext>
#include <QQmlEngine>
#include <QQuickItem>
#include <QQuickWindow>
#include <QSettings>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using latent::app::ChatController;
using latent::app::ChatStore;
using latent::app::ModelManager;

namespace {

const QString moduleFolder = QStringLiteral(":/qt/qml/Latent/Ui/qml");

bool isSingleton(const QString& path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) && file.readAll().contains("pragma Singleton");
}

bool onlyRequiredPropertiesMissing(const QList<QQmlError>& errors)
{
    if (errors.isEmpty())
        return false;
    for (const QQmlError& error : errors)
        if (!error.description().contains(QLatin1String("Required property")))
            return false;
    return true;
}

QString describe(const QList<QQmlError>& errors)
{
    QStringList lines;
    for (const QQmlError& error : errors)
        lines << error.toString();
    return lines.join(u'\n');
}

} // namespace

class QmlFilesTest : public QObject {
    Q_OBJECT

private slots:
    void initTestCase()
    {
        useTestSettings("test_qml_files");
        collectQmlWarnings();
        QVERIFY(folder_.isValid());
        store_ = std::make_unique<ChatStore>(folder_.filePath(QStringLiteral("chat.sqlite3")));
        models_ = std::make_unique<ModelManager>(*store_);
        chat_ = std::make_unique<ChatController>(*store_, *models_);
        downloads_ = std::make_unique<latent::app::ModelDownloads>(network_, folder_.path(), std::nullopt);
        latent::ui::registerAppTypes();
    }

    void cleanupTestCase()
    {
        downloads_.reset();
        chat_.reset();
        models_.reset();
        store_.reset();
        QSettings().clear();
    }

    void compilesAndCreates_data()
    {
        QTest::addColumn<QString>("file");
        const QStringList files = QDir(moduleFolder).entryList({QStringLiteral("*.qml")}, QDir::Files, QDir::Name);
        QVERIFY2(files.contains(QStringLiteral("Main.qml")), qPrintable(files.join(u' ')));
        for (const QString& file : files)
            QTest::newRow(qPrintable(file)) << file;
    }

    void compilesAndCreates()
    {
        QFETCH(QString, file);
        takeQmlWarnings();
        QQmlEngine engine;
        engine.addImportPath(QStringLiteral("qrc:/qt/qml"));
        engine.rootContext()->setContextProperty(QStringLiteral("chat"), chat_.get());
        engine.rootContext()->setContextProperty(QStringLiteral("models"), models_.get());
        engine.rootContext()->setContextProperty(QStringLiteral("downloads"), downloads_.get());
        if (isSingleton(moduleFolder + u'/' + file)) {
            createSingleton(engine, file.chopped(4));
        } else {
            QQmlComponent component(&engine, QUrl(QStringLiteral("qrc") + moduleFolder + u'/' + file));
            QTRY_VERIFY(!component.isLoading());
            QVERIFY2(component.isReady(), qPrintable(describe(component.errors())));
            create(component);
        }
        const QStringList warnings = takeQmlWarnings();
        QVERIFY2(warnings.isEmpty(), qPrintable(warnings.join(u'\n')));
    }

private:
    // A singleton cannot be a component's root: a user of it creates it.
    static void createSingleton(QQmlEngine& engine, const QString& name)
    {
        QQmlComponent user(&engine);
        user.setData(QStringLiteral("import QtQml\nimport Latent.Ui\nQtObject { property QtObject instance: %1 }")
                         .arg(name)
                         .toUtf8(),
                     QUrl());
        const std::unique_ptr<QObject> object(user.create());
        QVERIFY2(object, qPrintable(describe(user.errors())));
        QVERIFY(object->property("instance").value<QObject*>());
    }

    // Creates the component's object in a window, as the scene would, and lets it run a few frames.
    static void create(QQmlComponent& component)
    {
        QQuickWindow window;
        window.resize(1000, 700);
        window.show();
        QObject* object = component.beginCreate(component.engine()->rootContext());
        QVERIFY2(object, qPrintable(describe(component.errors())));
        std::unique_ptr<QObject> owner(object);
        if (auto* item = qobject_cast<QQuickItem*>(object))
            item->setParentItem(window.contentItem());
        else if (object->metaObject()->indexOfProperty("parent") >= 0) // a Popup
            object->setProperty("parent", QVariant::fromValue(window.contentItem()));
        component.completeCreate();
        if (component.isError()) {
            // A component with required properties compiled and is created by its view; what
            // its bindings said about the inputs it was not given does not count.
            if (onlyRequiredPropertiesMissing(component.errors())) {
                takeQmlWarnings();
                return;
            }
            QFAIL(qPrintable(describe(component.errors())));
        }
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QTest::qWait(100);
    }

    QTemporaryDir folder_;
    std::unique_ptr<ChatStore> store_;
    std::unique_ptr<ModelManager> models_;
    std::unique_ptr<ChatController> chat_;
    QNetworkAccessManager network_;
    std::unique_ptr<latent::app::ModelDownloads> downloads_;
};

QTEST_MAIN(QmlFilesTest)
#include "test_qml_files.moc"
