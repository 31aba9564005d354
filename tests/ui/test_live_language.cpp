// What follows the UI's language beyond the QML's own strings: a failed model load explains itself
// in Chinese above the engine's English detail, and the sidebar's dates change with a live switch
// of language (Chinese, then English: every row in the English words and time format).

#include "app/chat/conversation_list_model.h"
#include "app/chat/model_manager.h"
#include "app/store/chat_store.h"
#include "tests/app/app_test_environment.h"
#include "ui/uisettings.h"

#include <QFile>
#include <QLocale>
#include <QQmlComponent>
#include <QQmlEngine>
#include <QTest>

#include <memory>

using namespace latent::app;
using latent::app::test::AppTestEnvironment;
using latent::app::test::kTimeoutMs;
using latent::ui::UiSettings;

class LiveLanguageTest : public QObject {
    Q_OBJECT

    std::unique_ptr<AppTestEnvironment> environment_;
    std::unique_ptr<ChatStore> store_;
    std::unique_ptr<ModelManager> models_;

    // The message a failed load of this file shows.
    QString loadError(const QString& path)
    {
        models_->loadModel(path);
        [&] { QTRY_VERIFY_WITH_TIMEOUT(models_->state() != ModelManager::State::Loading, kTimeoutMs); }();
        return models_->state() == ModelManager::State::Failed ? models_->errorMessage() : QString();
    }

    // The test model with some of its bytes replaced.
    QString modelWith(const QString& name, const std::function<void(QByteArray&)>& change)
    {
        QFile model(environment_->modelPath());
        if (!model.open(QIODevice::ReadOnly))
            return {};
        QByteArray bytes = model.readAll();
        change(bytes);
        const QString path = environment_->filePath(name);
        QFile file(path);
        if (file.open(QIODevice::WriteOnly))
            file.write(bytes);
        return path;
    }

private slots:
    void initTestCase()
    {
        environment_ = std::make_unique<AppTestEnvironment>();
        store_ = std::make_unique<ChatStore>(environment_->newDatabasePath());
        models_ = std::make_unique<ModelManager>(*store_);
        AppTestEnvironment::useTestSettings(*models_);
        UiSettings::instance()->setLanguage(QStringLiteral("zh_CN"));
    }

    void cleanupTestCase()
    {
        UiSettings::instance()->setLanguage(QStringLiteral("en"));
        models_.reset();
    }

    void loadErrorsAreInChineseAboveTheEnginesDetail_data()
    {
        QTest::addColumn<QString>("path");
        QTest::addColumn<QString>("sentence");
        QTest::addColumn<QString>("detail"); // a part of the engine's own text

        QTest::newRow("missing") << environment_->filePath(QStringLiteral("gone.gguf"))
                                 << QStringLiteral("无法打开 gone.gguf。请确认文件存在，且你有权限读取它。")
                                 << QStringLiteral("cannot open the file");
        QFile notes(environment_->filePath(QStringLiteral("notes.gguf")));
        QVERIFY(notes.open(QIODevice::WriteOnly));
        notes.write("these are notes, not a model\n");
        notes.close();
        const QString notGguf = QStringLiteral("%1 不是 GGUF 模型文件，或者已损坏、不完整（例如下载中断）。"
                                               "请选择一个 .gguf 文件，或重新下载这个文件。");
        QTest::newRow("not GGUF") << notes.fileName() << notGguf.arg(QStringLiteral("notes.gguf"))
                                  << QStringLiteral("notes.gguf");
        // A download cut short: the tensor data ends before the tensors do.
        const QString cut = modelWith(QStringLiteral("cut.gguf"), [](QByteArray& bytes) { bytes.chop(bytes.size() / 2); });
        QTest::newRow("cut short") << cut << notGguf.arg(QStringLiteral("cut.gguf")) << QStringLiteral("cut.gguf");
        // general.architecture says "qwen2" (the key, its type and its length come before the value).
        const QString qwen = modelWith(QStringLiteral("qwen.gguf"), [](QByteArray& bytes) {
            const QByteArray key("general.architecture");
            const qsizetype value = bytes.indexOf(key) + key.size() + 4 + 8;
            bytes.replace(value, 5, "qwen2");
        });
        QTest::newRow("architecture")
            << qwen
            << QStringLiteral("qwen.gguf 是架构为“qwen2”的模型，Latent 无法运行：它运行 DeepSeek 模型（llama 和 deepseek2 架构）。")
            << QStringLiteral("architecture 'qwen2' is not supported");
    }

    void loadErrorsAreInChineseAboveTheEnginesDetail()
    {
        QFETCH(QString, path);
        QFETCH(QString, sentence);
        QFETCH(QString, detail);
        const QString message = loadError(path);
        QVERIFY2(message.startsWith(sentence + QStringLiteral("\n\n")), qPrintable(message));
        QVERIFY2(message.contains(detail), qPrintable(message));
    }

    // A view keeps the texts it read until the model says they changed: after each switch every
    // row must read as the language of the moment, with one time format.
    void sidebarDatesFollowALiveLanguageSwitch()
    {
        const QDate today = QDate::currentDate();
        const QTime morning(9, 5), afternoon(13, 41);
        QList<Conversation> conversations;
        conversations.append({1, QStringLiteral("a"), {}, 0, {}, QDateTime(today, afternoon)});
        conversations.append({2, QStringLiteral("b"), {}, 0, {}, QDateTime(today, morning)});
        conversations.append({3, QStringLiteral("c"), {}, 0, {}, QDateTime(today.addDays(-1), morning)});
        conversations.append({4, QStringLiteral("d"), {}, 0, {}, QDateTime(QDate(2021, 3, 3), morning)});
        ConversationListModel model;
        model.setConversations(conversations);

        QQmlEngine engine;
        engine.setContextForObject(&model, engine.rootContext());
        QQmlComponent component(&engine);
        component.setData("import QtQml\nimport QtQml.Models\n"
                          "Instantiator { delegate: QtObject { property string shown: updatedText } }",
                          QUrl());
        const std::unique_ptr<QObject> rows(component.create());
        QVERIFY2(rows, qPrintable(component.errorString()));
        rows->setProperty("model", QVariant::fromValue(&model));
        const auto shown = [&] {
            QStringList texts;
            for (int row = 0; row < model.rowCount(); ++row) {
                QObject* delegate = nullptr;
                QMetaObject::invokeMethod(rows.get(), "objectAt", Q_RETURN_ARG(QObject*, delegate), Q_ARG(int, row));
                texts.append(delegate ? delegate->property("shown").toString() : QString());
            }
            return texts;
        };

        const QLocale chinese(QStringLiteral("zh_CN"));
        QCOMPARE(shown(), (QStringList{QStringLiteral("今天 ") + chinese.toString(afternoon, QLocale::ShortFormat),
                                       QStringLiteral("今天 ") + chinese.toString(morning, QLocale::ShortFormat),
                                       QStringLiteral("昨天 ") + chinese.toString(morning, QLocale::ShortFormat),
                                       QStringLiteral("2021年3月3日")}));

        UiSettings::instance()->setLanguage(QStringLiteral("en"));
        const QLocale english(QStringLiteral("en"));
        QCOMPARE(shown(), (QStringList{QStringLiteral("today ") + english.toString(afternoon, QLocale::ShortFormat),
                                       QStringLiteral("today ") + english.toString(morning, QLocale::ShortFormat),
                                       QStringLiteral("yesterday ") + english.toString(morning, QLocale::ShortFormat),
                                       QStringLiteral("Mar 3, 2021")}));
        UiSettings::instance()->setLanguage(QStringLiteral("zh_CN"));
    }
};

QTEST_MAIN(LiveLanguageTest)
#include "test_live_language.moc"
