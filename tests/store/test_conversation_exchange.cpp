// Conversation files: the Markdown of the branch on screen, the JSON of the whole tree (a round
// trip keeps every branch and the current one), and an error naming the field for each bad file.

#include "app/store/chat_store.h"
#include "app/store/conversation_exchange.h"
#include "tests/store/store_error_of.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

#include <sqlite3.h>

using namespace latent::app;

namespace {

struct Branched {
    qint64 conversation = 0;
    qint64 question = 0, firstAnswer = 0, secondAnswer = 0, followUp = 0, lastAnswer = 0, editedQuestion = 0;
};

// A tree with a regenerated answer and an edited question; the current leaf is on the middle branch.
Branched makeBranchedConversation(ChatStore& store)
{
    Branched b;
    b.conversation = store.createConversation(QStringLiteral("Sorting in C++"), QStringLiteral("You are a C++ expert."));
    b.question = store.addMessage(b.conversation, 0, QStringLiteral("user"), QStringLiteral("How do I sort a vector?"));
    b.firstAnswer = store.addMessage(b.conversation, b.question, QStringLiteral("assistant"),
                                     QStringLiteral("Use std::sort."), true, QStringLiteral("coder-6.7b.gguf"));
    b.secondAnswer = store.addMessage(b.conversation, b.question, QStringLiteral("assistant"),
                                      QStringLiteral("Like this:\n\n```cpp\nstd::sort(v.begin(), v.end());\n```\n"),
                                      true, QStringLiteral("coder-33b.gguf"));
    b.followUp = store.addMessage(b.conversation, b.secondAnswer, QStringLiteral("user"), QStringLiteral("降序呢？"));
    b.lastAnswer = store.addMessage(b.conversation, b.followUp, QStringLiteral("assistant"),
                                    QStringLiteral("std::sort(v.rbegin(), v.rend());"), false,
                                    QStringLiteral("coder-33b.gguf"));
    b.editedQuestion = store.addMessage(b.conversation, 0, QStringLiteral("user"), QStringLiteral("How do I sort a list?"));
    store.setCurrentLeaf(b.conversation, b.lastAnswer);
    return b;
}

// The shape of a tree: each message's content, role, model, completeness and its parent's
// content (ids differ between stores), in order.
QStringList shapeOf(const ChatStore& store, qint64 conversationId)
{
    QStringList shape;
    for (const Message& message : store.messages(conversationId)) {
        const QString parent = message.parentId == 0 ? QStringLiteral("<root>") : store.message(message.parentId)->content;
        shape << QStringLiteral("%1|%2|%3|%4|%5|%6")
                     .arg(message.role, message.content, message.model, parent)
                     .arg(message.complete)
                     .arg(message.createdAt.toMSecsSinceEpoch());
    }
    return shape;
}

} // namespace

class TestConversationExchange : public QObject {
    Q_OBJECT

private:
    QTemporaryDir dir_;

private slots:
    void markdownIsTheCurrentBranch()
    {
        ChatStore store(dir_.filePath(QStringLiteral("markdown.sqlite3")));
        const Branched b = makeBranchedConversation(store);
        const QString markdown = conversationToMarkdown(store, b.conversation);
        QCOMPARE(markdown, QStringLiteral("# Sorting in C++\n"
                                          "\n## System prompt\n\nYou are a C++ expert.\n"
                                          "\n## User\n\nHow do I sort a vector?\n"
                                          "\n## Assistant (coder-33b.gguf)\n\nLike this:\n\n```cpp\n"
                                          "std::sort(v.begin(), v.end());\n```\n\n"
                                          "\n## User\n\n降序呢？\n"
                                          "\n## Assistant (coder-33b.gguf)\n\nstd::sort(v.rbegin(), v.rend());\n"));
        QVERIFY(!markdown.contains(QStringLiteral("Use std::sort.")));

        const qint64 empty = store.createConversation(QStringLiteral("Empty"));
        QCOMPARE(conversationToMarkdown(store, empty), QStringLiteral("# Empty\n"));
        const QString missing = storeErrorOf([&] { conversationToMarkdown(store, 9999); });
        QVERIFY2(missing.contains(QStringLiteral("9999")), qPrintable(missing));
    }

    void jsonHasTheDocumentedFields()
    {
        ChatStore store(dir_.filePath(QStringLiteral("fields.sqlite3")));
        const Branched b = makeBranchedConversation(store);
        const QJsonObject json = QJsonDocument::fromJson(conversationToJson(store, b.conversation)).object();
        QCOMPARE(json.value(QStringLiteral("format")).toString(), QStringLiteral("latent-conversation"));
        QCOMPARE(json.value(QStringLiteral("version")).toInt(), 1);
        QCOMPARE(json.value(QStringLiteral("title")).toString(), QStringLiteral("Sorting in C++"));
        QCOMPARE(json.value(QStringLiteral("systemPrompt")).toString(), QStringLiteral("You are a C++ expert."));
        QVERIFY(QDateTime::fromString(json.value(QStringLiteral("createdAt")).toString(), Qt::ISODateWithMs).isValid());
        const QJsonArray messages = json.value(QStringLiteral("messages")).toArray();
        QCOMPARE(messages.size(), 6);
        QCOMPARE(messages[0].toObject().value(QStringLiteral("id")).toInt(), 1); // ids local to the file
        QVERIFY(messages[0].toObject().value(QStringLiteral("parentId")).isNull());
        QCOMPARE(messages[2].toObject().value(QStringLiteral("parentId")).toInt(), 1);
        QCOMPARE(messages[2].toObject().value(QStringLiteral("model")).toString(), QStringLiteral("coder-33b.gguf"));
        QCOMPARE(messages[4].toObject().value(QStringLiteral("role")).toString(), QStringLiteral("assistant"));
        QCOMPARE(json.value(QStringLiteral("currentLeafId")).toInt(), 5);
    }

    void jsonRoundTripKeepsTheTree()
    {
        ChatStore source(dir_.filePath(QStringLiteral("source.sqlite3")));
        const Branched b = makeBranchedConversation(source);
        const QByteArray json = conversationToJson(source, b.conversation);

        ChatStore target(dir_.filePath(QStringLiteral("target.sqlite3")));
        target.createConversation(QStringLiteral("already there")); // so that ids differ
        const qint64 imported = importConversationJson(target, json, QStringLiteral("sorting.json"));

        QCOMPARE(shapeOf(target, imported), shapeOf(source, b.conversation));
        const Conversation copy = *target.conversation(imported);
        QCOMPARE(copy.title, QStringLiteral("Sorting in C++"));
        QCOMPARE(copy.systemPrompt, QStringLiteral("You are a C++ expert."));
        QCOMPARE(copy.createdAt, source.conversation(b.conversation)->createdAt);
        QCOMPARE(target.message(copy.currentLeafId)->content, QStringLiteral("std::sort(v.rbegin(), v.rend());"));
        QCOMPARE(conversationToMarkdown(target, imported), conversationToMarkdown(source, b.conversation));
        QCOMPARE(target.conversations().value(0).id, imported); // the newest in the list
        QCOMPARE(target.search(QStringLiteral("降序")).value(0).conversationId, imported);
        // The file made from the copy is the file it came from.
        QCOMPARE(conversationToJson(target, imported), json);
    }

    void badFilesNameTheField_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("expected");
        const QByteArray message = R"({"id": 1, "parentId": null, "role": "user", "content": "hi"})";
        const auto file = [](const QByteArray& fields, const QByteArray& messages) {
            return R"({"format": "latent-conversation", "version": 1, "title": "t", )" + fields +
                   R"("messages": [)" + messages + "]}";
        };
        QTest::newRow("not json") << QByteArray("{\"format\": ") << QStringLiteral("not valid JSON");
        QTest::newRow("not an object") << QByteArray("[1, 2]") << QStringLiteral("not a JSON object");
        QTest::newRow("wrong format") << QByteArray(R"({"format": "chatgpt", "version": 1})")
                                      << QStringLiteral("\"format\" is \"chatgpt\"");
        QTest::newRow("no format") << QByteArray(R"({"version": 1})") << QStringLiteral("\"format\" must be a string, but it is missing");
        QTest::newRow("newer version") << QByteArray(R"({"format": "latent-conversation", "version": 2})")
                                       << QStringLiteral("newer version of Latent (the field \"version\" is 2");
        QTest::newRow("version ill-typed") << QByteArray(R"({"format": "latent-conversation", "version": "1"})")
                                           << QStringLiteral("\"version\" must be a whole number");
        QTest::newRow("no title") << QByteArray(R"({"format": "latent-conversation", "version": 1, "messages": []})")
                                  << QStringLiteral("\"title\" must be a string, but it is missing");
        QTest::newRow("title ill-typed") << QByteArray(R"({"format": "latent-conversation", "version": 1, "title": 7})")
                                         << QStringLiteral("\"title\" must be a string, but it is a number");
        QTest::newRow("no messages") << QByteArray(R"({"format": "latent-conversation", "version": 1, "title": "t"})")
                                     << QStringLiteral("\"messages\" must be an array, but it is missing");
        QTest::newRow("system prompt ill-typed") << file(R"("systemPrompt": [], )", message)
                                                 << QStringLiteral("\"systemPrompt\" must be a string, but it is an array");
        QTest::newRow("message not an object") << file("", "3") << QStringLiteral("\"messages[0]\" must be an object");
        QTest::newRow("id missing") << file("", R"({"parentId": null, "role": "user", "content": ""})")
                                    << QStringLiteral("\"messages[0].id\" must be a whole number of 1 or more, but it is missing");
        QTest::newRow("id fractional") << file("", R"({"id": 1.5, "parentId": null, "role": "user", "content": ""})")
                                       << QStringLiteral("\"messages[0].id\" must be a whole number of 1 or more, but it is 1.5");
        QTest::newRow("id repeated") << file("", message + ", " + message)
                                     << QStringLiteral("\"messages[1].id\" is 1, the id of an earlier message");
        QTest::newRow("parentId missing") << file("", R"({"id": 1, "role": "user", "content": ""})")
                                          << QStringLiteral("\"messages[0].parentId\" must be a whole number of 1 or more or null");
        QTest::newRow("parentId unknown") << file("", R"({"id": 1, "parentId": 7, "role": "user", "content": ""})")
                                          << QStringLiteral("\"messages[0].parentId\" is 7, which is not the id of an earlier message");
        QTest::newRow("parentId later")
            << file("", R"({"id": 1, "parentId": 2, "role": "user", "content": ""}, )"
                        R"({"id": 2, "parentId": null, "role": "user", "content": ""})")
            << QStringLiteral("\"messages[0].parentId\" is 2, which is not the id of an earlier message");
        QTest::newRow("parentId itself") << file("", R"({"id": 1, "parentId": 1, "role": "user", "content": ""})")
                                         << QStringLiteral("\"messages[0].parentId\" is 1, which is not the id");
        QTest::newRow("role unknown") << file("", R"({"id": 1, "parentId": null, "role": "robot", "content": ""})")
                                      << QStringLiteral("\"messages[0].role\" is \"robot\", not one of \"system\", \"user\", \"assistant\"");
        QTest::newRow("content ill-typed") << file("", R"({"id": 1, "parentId": null, "role": "user", "content": null})")
                                           << QStringLiteral("\"messages[0].content\" must be a string, but it is null");
        QTest::newRow("model ill-typed")
            << file("", R"({"id": 1, "parentId": null, "role": "user", "content": "", "model": 3})")
            << QStringLiteral("\"messages[0].model\" must be a string, but it is a number");
        QTest::newRow("createdAt not a time")
            << file("", R"({"id": 1, "parentId": null, "role": "user", "content": "", "createdAt": "yesterday"})")
            << QStringLiteral("\"messages[0].createdAt\" must be a time");
        QTest::newRow("complete ill-typed")
            << file("", R"({"id": 1, "parentId": null, "role": "user", "content": "", "complete": "yes"})")
            << QStringLiteral("\"messages[0].complete\" must be true or false, but it is a string");
        QTest::newRow("currentLeafId unknown") << file(R"("currentLeafId": 9, )", message)
                                               << QStringLiteral("\"currentLeafId\" is 9, which is not the id of a message");
    }

    void badFilesNameTheField()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, expected);
        ChatStore store(dir_.filePath(QStringLiteral("bad.sqlite3")));
        const QString error = storeErrorOf([&] { importConversationJson(store, json, QStringLiteral("/home/u/bad.json")); });
        QVERIFY2(error.startsWith(QStringLiteral("Cannot import /home/u/bad.json: ")), qPrintable(error));
        QVERIFY2(error.contains(expected), qPrintable(error));
        QVERIFY(store.conversations().isEmpty()); // nothing half-imported
    }

    void aFailureMidwayImportsNothing()
    {
        ChatStore store(dir_.filePath(QStringLiteral("midway.sqlite3")));
        const Branched b = makeBranchedConversation(store);
        const QByteArray json = conversationToJson(store, b.conversation);
        const qsizetype before = store.conversations().size();
        // A trigger that fails on the third message stands for a disk that fills up midway.
        char* error = nullptr;
        sqlite3_exec(store.handle(),
                     "CREATE TEMP TRIGGER fail_third BEFORE INSERT ON messages "
                     "WHEN (SELECT count(*) FROM messages WHERE content = 'How do I sort a vector?') >= 2 "
                     "AND NEW.content = 'Use std::sort.' BEGIN SELECT RAISE(ABORT, 'disk full'); END",
                     nullptr, nullptr, &error);
        QVERIFY2(error == nullptr, error);
        QVERIFY(!storeErrorOf([&] { importConversationJson(store, json, QStringLiteral("x.json")); }).isEmpty());
        QCOMPARE(store.conversations().size(), before);
        QCOMPARE(store.messages(b.conversation).size(), 6);
    }
};

QTEST_GUILESS_MAIN(TestConversationExchange)
#include "test_conversation_exchange.moc"
