// Conversations to files and back (app/chat/conversation_files.h) on a real chat store: a JSON
// export imports as a new conversation with the same messages; every failure is a problem that
// names the file or format and says what to do, and leaves no file or conversation behind.

#include "app/chat/conversation_files.h"
#include "app/store/chat_store.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace latent::app;

class ConversationFilesTest : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;

private slots:
    void exportsImportAgain()
    {
        ChatStore store(dir_.filePath("roundtrip.sqlite3"));
        const qint64 id = store.createConversation("二分查找", "Be brief.");
        const qint64 question = store.addMessage(id, 0, "user", "写一个二分查找");
        store.addMessage(id, question, "assistant", "def search(xs, x): ...");
        const ConversationFiles files(store);

        const QString json = dir_.filePath("export.json"), markdown = dir_.filePath("export.md");
        QVERIFY(!files.exportTo(id, json, "json"));
        QVERIFY(!files.exportTo(id, markdown, "markdown"));
        QFile text(markdown);
        QVERIFY(text.open(QIODevice::ReadOnly));
        QVERIFY(QString::fromUtf8(text.readAll()).contains("写一个二分查找"));

        const ConversationFiles::Imported imported = files.importFrom(json);
        QVERIFY(!imported.problem);
        QVERIFY(imported.id != id);
        QCOMPARE(store.conversation(imported.id)->systemPrompt, QString("Be brief."));
        const QList<Message> messages = store.messages(imported.id);
        QCOMPARE(messages.size(), 2);
        QCOMPARE(messages[0].content, QString("写一个二分查找"));
        QCOMPARE(messages[1].content, QString("def search(xs, x): ..."));
    }

    void problemsSayWhatAndWhatToDo()
    {
        ChatStore store(dir_.filePath("problems.sqlite3"));
        const qint64 id = store.createConversation("Kept");
        const ConversationFiles files(store);

        const QString pdf = dir_.filePath("export.pdf");
        const std::optional<FileProblem> format = files.exportTo(id, pdf, "pdf");
        QVERIFY(format);
        QCOMPARE(format->title, QString("Unknown export format"));
        QVERIFY2(format->message.contains("\"pdf\"") && format->message.contains("markdown or json"),
                 qPrintable(format->message));
        QVERIFY(!QFile::exists(pdf));

        const QString nowhere = dir_.filePath("no-such-folder/export.json");
        const std::optional<FileProblem> unwritable = files.exportTo(id, nowhere, "json");
        QVERIFY(unwritable);
        QVERIFY2(unwritable->message.contains(nowhere) && unwritable->message.contains("Choose a folder"),
                 qPrintable(unwritable->message));

        const std::optional<FileProblem> missing = files.exportTo(4242, dir_.filePath("missing.json"), "json");
        QVERIFY(missing);
        QCOMPARE(missing->title, QString("The conversation was not exported"));

        const QString absent = dir_.filePath("absent.json");
        const ConversationFiles::Imported unreadable = files.importFrom(absent);
        QVERIFY(unreadable.problem && unreadable.id == 0);
        QVERIFY2(unreadable.problem->message.contains(absent), qPrintable(unreadable.problem->message));

        const QString broken = dir_.filePath("broken.json");
        QFile file(broken);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("{\"title\": \"half a file");
        file.close();
        const ConversationFiles::Imported invalid = files.importFrom(broken);
        QVERIFY(invalid.problem && invalid.id == 0);
        QVERIFY2(invalid.problem->message.contains("broken.json"), qPrintable(invalid.problem->message));
        QCOMPARE(store.conversations().size(), 1); // nothing half-imported
    }
};

QTEST_GUILESS_MAIN(ConversationFilesTest)
#include "test_conversation_files.moc"
