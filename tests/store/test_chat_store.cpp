// ChatStore: every operation of the header, the message tree, soft deletion, search (English,
// Chinese, hostile queries), migration from the first schema, and each kind of bad file.

#include "app/store/chat_store.h"
#include "tests/store/raw_database.h"
#include "tests/store/store_error_of.h"

#include <QFile>
#include <QRandomGenerator>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

#include <unistd.h>

using namespace latent::app;

namespace {

QList<qint64> idsOf(const QList<Message>& messages)
{
    QList<qint64> ids;
    for (const Message& message : messages)
        ids << message.id;
    return ids;
}

QList<qint64> idsOf(const QList<Conversation>& conversations)
{
    QList<qint64> ids;
    for (const Conversation& conversation : conversations)
        ids << conversation.id;
    return ids;
}

QList<qint64> messageIdsOf(const QList<SearchHit>& hits)
{
    QList<qint64> ids;
    for (const SearchHit& hit : hits)
        ids << hit.messageId;
    return ids;
}

bool permissionsAreEnforced()
{
    return geteuid() != 0;
}

} // namespace

class TestChatStore : public QObject {
    Q_OBJECT

private:
    QTemporaryDir dir_;
    QString dbPath_;

private slots:
    void init()
    {
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY(dir_.isValid());
        dbPath_ = dir_.filePath(QStringLiteral("chat-%1.sqlite3").arg(QRandomGenerator::global()->generate()));
    }

    void newDatabaseHasTheCurrentSchemaAndSettings()
    {
        ChatStore store(dbPath_);
        QCOMPARE(store.path(), dbPath_);
        QCOMPARE(RawDatabase::valueOf(store.handle(), "PRAGMA user_version"), QStringLiteral("3"));
        QCOMPARE(RawDatabase::valueOf(store.handle(), "PRAGMA journal_mode"), QStringLiteral("wal"));
        QCOMPARE(RawDatabase::valueOf(store.handle(), "PRAGMA foreign_keys"), QStringLiteral("1"));
        QCOMPARE(RawDatabase::valueOf(store.handle(), "PRAGMA synchronous"), QStringLiteral("1")); // NORMAL
    }

    void defaultPathIsInTheApplicationDataFolder()
    {
        const QString path = ChatStore::defaultPath();
        QVERIFY(path.endsWith(QStringLiteral("/latent.sqlite3")));
        QVERIFY(path.startsWith(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation)));
    }

    void reopeningKeepsEverything()
    {
        qint64 id = 0;
        {
            ChatStore store(dbPath_);
            id = store.createConversation(QStringLiteral("kept"));
            store.addMessage(id, 0, QStringLiteral("user"), QStringLiteral("still here"));
        }
        ChatStore store(dbPath_);
        QCOMPARE(store.conversation(id)->title, QStringLiteral("kept"));
        QCOMPARE(store.messages(id).value(0).content, QStringLiteral("still here"));
    }

    void conversationsAreNewestFirst()
    {
        ChatStore store(dbPath_);
        const qint64 before = QDateTime::currentMSecsSinceEpoch();
        const qint64 a = store.createConversation(QStringLiteral("A"), QStringLiteral("be brief"));
        const qint64 b = store.createConversation(QStringLiteral("B"));
        QCOMPARE(idsOf(store.conversations()), (QList<qint64>{b, a}));
        store.addMessage(a, 0, QStringLiteral("user"), QStringLiteral("hi"));
        QCOMPARE(idsOf(store.conversations()), (QList<qint64>{a, b}));
        const qint64 c = store.createConversation(QStringLiteral("C"));
        QCOMPARE(idsOf(store.conversations()), (QList<qint64>{c, a, b}));

        const Conversation first = *store.conversation(a);
        QCOMPARE(first.title, QStringLiteral("A"));
        QCOMPARE(first.systemPrompt, QStringLiteral("be brief"));
        QVERIFY(first.createdAt.toMSecsSinceEpoch() >= before);
        QVERIFY(first.updatedAt > first.createdAt);
        QCOMPARE(first.createdAt.timeSpec(), Qt::UTC);
        QVERIFY(!store.conversation(9999).has_value());
    }

    void conversationsCanBeRenamedAndPrompted()
    {
        ChatStore store(dbPath_);
        const qint64 id = store.createConversation(QStringLiteral("old"));
        store.renameConversation(id, QStringLiteral("new ✓ 新"));
        store.setSystemPrompt(id, QStringLiteral("You are terse."));
        QCOMPARE(store.conversation(id)->title, QStringLiteral("new ✓ 新"));
        QCOMPARE(store.conversation(id)->systemPrompt, QStringLiteral("You are terse."));

        const QString missing = storeErrorOf([&] { store.renameConversation(9999, QStringLiteral("x")); });
        QVERIFY2(missing.contains(dbPath_) && missing.contains(QStringLiteral("9999")), qPrintable(missing));
        QVERIFY(!storeErrorOf([&] { store.setSystemPrompt(9999, QStringLiteral("x")); }).isEmpty());
    }

    void messagesFormATree()
    {
        ChatStore store(dbPath_);
        const qint64 c = store.createConversation(QStringLiteral("tree"));
        const qint64 u1 = store.addMessage(c, 0, QStringLiteral("user"), QStringLiteral("question"));
        const qint64 a1 = store.addMessage(c, u1, QStringLiteral("assistant"), QStringLiteral("first answer"), true,
                                           QStringLiteral("coder.gguf"));
        const qint64 a2 = store.addMessage(c, u1, QStringLiteral("assistant"), QStringLiteral("regenerated"));
        const qint64 u2 = store.addMessage(c, a2, QStringLiteral("user"), QStringLiteral("follow-up"));
        const qint64 a3 = store.addMessage(c, u2, QStringLiteral("assistant"), QStringLiteral("..."), false);
        const qint64 u1b = store.addMessage(c, 0, QStringLiteral("user"), QStringLiteral("edited question"));

        QCOMPARE(idsOf(store.rootMessages(c)), (QList<qint64>{u1, u1b}));
        QCOMPARE(idsOf(store.children(u1)), (QList<qint64>{a1, a2}));
        QVERIFY(store.children(a3).isEmpty());
        QCOMPARE(idsOf(store.pathTo(a3)), (QList<qint64>{u1, a2, u2, a3}));
        QCOMPARE(idsOf(store.pathTo(u1)), (QList<qint64>{u1}));
        QVERIFY(store.pathTo(9999).isEmpty());
        QCOMPARE(store.newestLeafUnder(u1), a3);
        QCOMPARE(store.newestLeafUnder(a1), a1);
        QCOMPARE(idsOf(store.messages(c)), (QList<qint64>{u1, a1, a2, u2, a3, u1b}));

        QCOMPARE(store.conversation(c)->currentLeafId, u1b); // the newest message added
        store.setCurrentLeaf(c, a1);
        QCOMPARE(store.conversation(c)->currentLeafId, a1);
        store.setCurrentLeaf(c, 0);
        QCOMPARE(store.conversation(c)->currentLeafId, 0);

        const Message answer = *store.message(a1);
        QCOMPARE(answer.conversationId, c);
        QCOMPARE(answer.parentId, u1);
        QCOMPARE(answer.role, QStringLiteral("assistant"));
        QCOMPARE(answer.content, QStringLiteral("first answer"));
        QCOMPARE(answer.model, QStringLiteral("coder.gguf"));
        QVERIFY(answer.complete);
        QVERIFY(!store.message(a3)->complete);
        QCOMPARE(store.message(u1)->parentId, 0);
        QVERIFY(store.message(u1)->createdAt.isValid());
        QVERIFY(!store.message(9999).has_value());
    }

    void messagesStayInTheirConversation()
    {
        ChatStore store(dbPath_);
        const qint64 c1 = store.createConversation(QStringLiteral("one"));
        const qint64 c2 = store.createConversation(QStringLiteral("two"));
        const qint64 m1 = store.addMessage(c1, 0, QStringLiteral("user"), QStringLiteral("in one"));
        const QString wrongParent = storeErrorOf([&] { store.addMessage(c2, m1, QStringLiteral("user"), {}); });
        QVERIFY2(wrongParent.contains(dbPath_), qPrintable(wrongParent));
        QVERIFY(store.messages(c2).isEmpty());
        QVERIFY(!storeErrorOf([&] { store.setCurrentLeaf(c2, m1); }).isEmpty());
        QVERIFY(!storeErrorOf([&] { store.addMessage(9999, 0, QStringLiteral("user"), {}); }).isEmpty());
        QCOMPARE(store.conversation(c1)->currentLeafId, m1);
    }

    void streamedContentIsSaved()
    {
        ChatStore store(dbPath_);
        const qint64 c = store.createConversation(QStringLiteral("stream"));
        const qint64 m = store.addMessage(c, 0, QStringLiteral("assistant"), {}, false);
        store.setMessageContent(m, QStringLiteral("Hel"), false);
        QCOMPARE(store.message(m)->content, QStringLiteral("Hel"));
        QVERIFY(!store.message(m)->complete);
        store.setMessageContent(m, QStringLiteral("Hello, 世界 ```cpp\nint x;\n```"), true);
        QCOMPARE(store.message(m)->content, QStringLiteral("Hello, 世界 ```cpp\nint x;\n```"));
        QVERIFY(store.message(m)->complete);
        const QString missing = storeErrorOf([&] { store.setMessageContent(9999, QStringLiteral("lost?"), true); });
        QVERIFY2(missing.contains(QStringLiteral("message 9999")), qPrintable(missing));
    }

    void deletingIsSoftUntilPurged()
    {
        ChatStore store(dbPath_);
        const qint64 kept = store.createConversation(QStringLiteral("kept"));
        store.addMessage(kept, 0, QStringLiteral("user"), QStringLiteral("zebra crossing"));
        const qint64 gone = store.createConversation(QStringLiteral("gone"));
        const qint64 root = store.addMessage(gone, 0, QStringLiteral("user"), QStringLiteral("zebra stripes"));
        store.addMessage(gone, root, QStringLiteral("assistant"), QStringLiteral("zebra answer"));
        store.addMessage(gone, root, QStringLiteral("assistant"), QStringLiteral("zebra again"));
        QCOMPARE(store.search(QStringLiteral("zebra")).size(), 4);

        store.deleteConversation(gone);
        QCOMPARE(idsOf(store.conversations()), (QList<qint64>{kept}));
        QCOMPARE(store.search(QStringLiteral("zebra")).size(), 1);
        QVERIFY(store.conversation(gone).has_value());
        QCOMPARE(store.messages(gone).size(), 3);

        store.restoreConversation(gone);
        QCOMPARE(idsOf(store.conversations()), (QList<qint64>{gone, kept}));
        QCOMPARE(store.search(QStringLiteral("zebra")).size(), 4);

        store.deleteConversation(gone);
        store.purgeDeleted();
        QVERIFY(!store.conversation(gone).has_value());
        QVERIFY(store.messages(gone).isEmpty());
        QVERIFY(!store.message(root).has_value());
        QCOMPARE(RawDatabase::valueOf(store.handle(), "SELECT count(*) FROM messages_fts_docsize"), QStringLiteral("1"));
        QCOMPARE(RawDatabase::ftsIntegrityOf(store.handle()), QStringLiteral("ok"));
        QCOMPARE(store.search(QStringLiteral("zebra")).size(), 1);
        QVERIFY(!storeErrorOf([&] { store.restoreConversation(gone); }).isEmpty());
    }

    void searchFindsEnglishPrefixesAndAllWords()
    {
        ChatStore store(dbPath_);
        const qint64 c = store.createConversation(QStringLiteral("Rust questions"));
        const qint64 borrow = store.addMessage(c, 0, QStringLiteral("user"),
                                               QStringLiteral("How does the borrow checker work in Rust?"));
        const qint64 lifetimes = store.addMessage(c, borrow, QStringLiteral("assistant"),
                                                  QStringLiteral("Lifetimes tell the borrow checker how long references live."));
        store.addMessage(c, lifetimes, QStringLiteral("user"), QStringLiteral("And in Python?"));

        const QList<SearchHit> prefix = store.search(QStringLiteral("borr"));
        QCOMPARE(prefix.size(), 2);
        QCOMPARE(prefix[0].conversationId, c);
        QCOMPARE(prefix[0].conversationTitle, QStringLiteral("Rust questions"));
        QVERIFY2(prefix[0].snippet.contains(QStringLiteral("[borr]")), qPrintable(prefix[0].snippet));

        QCOMPARE(messageIdsOf(store.search(QStringLiteral("BORROW lifetime"))), (QList<qint64>{lifetimes}));
        QCOMPARE(messageIdsOf(store.search(QStringLiteral("checker   rust"))), (QList<qint64>{borrow}));
        QVERIFY(store.search(QStringLiteral("borrow python")).isEmpty());
        QCOMPARE(store.search(QStringLiteral("borrow"), 1).size(), 1);
    }

    void searchPutsTheBestHitFirst()
    {
        ChatStore store(dbPath_);
        const qint64 c = store.createConversation(QStringLiteral("ranking"));
        const qint64 once = store.addMessage(
            c, 0, QStringLiteral("user"),
            QStringLiteral("A long message that mentions kernels once among many other words about the weather, "
                           "gardens, trains, music, cooking and the sea."));
        const qint64 often = store.addMessage(c, once, QStringLiteral("assistant"),
                                              QStringLiteral("kernels, kernels and more kernels"));
        QCOMPARE(messageIdsOf(store.search(QStringLiteral("kernels"))), (QList<qint64>{often, once}));
    }

    void searchFindsChinese()
    {
        ChatStore store(dbPath_);
        const qint64 c = store.createConversation(QStringLiteral("中文对话"));
        const qint64 m1 = store.addMessage(c, 0, QStringLiteral("user"), QStringLiteral("我喜欢编程语言，特别是Python。"));
        const qint64 m2 = store.addMessage(c, m1, QStringLiteral("assistant"), QStringLiteral("深度学习模型需要很多显存"));

        const QList<SearchHit> long3 = store.search(QStringLiteral("编程语言"));
        QCOMPARE(messageIdsOf(long3), (QList<qint64>{m1}));
        QVERIFY2(long3[0].snippet.contains(QStringLiteral("[编程语言]")), qPrintable(long3[0].snippet));
        QCOMPARE(long3[0].conversationTitle, QStringLiteral("中文对话"));

        // Two-character words, the most common in Chinese, are shorter than a trigram.
        const QList<SearchHit> short2 = store.search(QStringLiteral("显存"));
        QCOMPARE(messageIdsOf(short2), (QList<qint64>{m2}));
        QVERIFY2(short2[0].snippet.contains(QStringLiteral("[显存]")), qPrintable(short2[0].snippet));
        QCOMPARE(messageIdsOf(store.search(QStringLiteral("编程 python"))), (QList<qint64>{m1}));
        QCOMPARE(messageIdsOf(store.search(QStringLiteral("模型 学习"))), (QList<qint64>{m2}));
        QVERIFY(store.search(QStringLiteral("编程 显存")).isEmpty());
    }

    void searchTakesAnyTextAsPlainWords()
    {
        ChatStore store(dbPath_);
        const qint64 c = store.createConversation(QStringLiteral("syntax"));
        const qint64 quoted = store.addMessage(c, 0, QStringLiteral("user"), QStringLiteral("He said \"quoted\" twice."));
        const qint64 percent = store.addMessage(c, quoted, QStringLiteral("user"), QStringLiteral("50% off, a_b"));
        store.addMessage(c, percent, QStringLiteral("user"), QStringLiteral("NEAR the AND gate, OR not"));

        const QStringList hostile = {
            QStringLiteral("\""), QStringLiteral("\"\"\""), QStringLiteral("foo\"bar"), QStringLiteral("AND"),
            QStringLiteral("OR NOT"), QStringLiteral("NEAR("), QStringLiteral("("), QStringLiteral(")"),
            QStringLiteral("*"), QStringLiteral("^abc"), QStringLiteral("content:abc"), QStringLiteral("a:b"),
            QStringLiteral("-x"), QStringLiteral("{content}"), QStringLiteral("'"), QStringLiteral("\\"),
            QStringLiteral("%"), QStringLiteral("_"), QStringLiteral("\"quoted"), QStringLiteral("x* AND y")};
        for (const QString& query : hostile) {
            const QString error = storeErrorOf([&] { store.search(query); });
            QVERIFY2(error.isEmpty(), qPrintable(query + QStringLiteral(": ") + error));
        }
        QCOMPARE(messageIdsOf(store.search(QStringLiteral("\"quoted\""))), (QList<qint64>{quoted}));
        QCOMPARE(messageIdsOf(store.search(QStringLiteral("%"))), (QList<qint64>{percent}));
        QCOMPARE(messageIdsOf(store.search(QStringLiteral("_"))), (QList<qint64>{percent}));
        QCOMPARE(store.search(QStringLiteral("NEAR")).size(), 1);
        QVERIFY(store.search(QStringLiteral("")).isEmpty());
        QVERIFY(store.search(QStringLiteral("  \t\n ")).isEmpty());
    }

    void searchFollowsEdits()
    {
        ChatStore store(dbPath_);
        const qint64 c = store.createConversation(QStringLiteral("edits"));
        const qint64 m = store.addMessage(c, 0, QStringLiteral("assistant"), QStringLiteral("alpha"), false);
        QCOMPARE(store.search(QStringLiteral("alpha")).size(), 1);
        store.setMessageContent(m, QStringLiteral("beta gamma"), true);
        QVERIFY(store.search(QStringLiteral("alpha")).isEmpty());
        QCOMPARE(messageIdsOf(store.search(QStringLiteral("gamma"))), (QList<qint64>{m}));
        QCOMPARE(RawDatabase::ftsIntegrityOf(store.handle()), QStringLiteral("ok"));
    }

    void modelsAreListedByLastUse()
    {
        ChatStore store(dbPath_);
        const ModelRecord coder{QStringLiteral("/m/coder.gguf"), QStringLiteral("DeepSeek Coder"),
                                QStringLiteral("llama"), QStringLiteral("Q4_K_M"), 6'700'000'000, 16384,
                                4'000'000'000, {}};
        ModelRecord lite = coder;
        lite.path = QStringLiteral("/m/lite.gguf");
        lite.architecture = QStringLiteral("deepseek2");
        store.recordModel(coder);
        store.recordModel(lite);
        QCOMPARE(store.recentModels().value(0).path, lite.path);
        ModelRecord requantized = coder;
        requantized.quantization = QStringLiteral("Q8_0");
        store.recordModel(requantized);

        const QList<ModelRecord> models = store.recentModels();
        QCOMPARE(models.size(), 2);
        QCOMPARE(models[0].path, coder.path);
        QCOMPARE(models[0].name, coder.name);
        QCOMPARE(models[0].architecture, QStringLiteral("llama"));
        QCOMPARE(models[0].quantization, QStringLiteral("Q8_0"));
        QCOMPARE(models[0].parameters, coder.parameters);
        QCOMPARE(models[0].contextLength, coder.contextLength);
        QCOMPARE(models[0].fileSize, coder.fileSize);
        QVERIFY(models[0].lastOpened > models[1].lastOpened);
        QCOMPARE(models[1].path, lite.path);
        QCOMPARE(store.recentModels(1).size(), 1);

        store.forgetModel(coder.path);
        QCOMPARE(store.recentModels().size(), 1);
        QCOMPARE(store.recentModels()[0].path, lite.path);
    }

    void presetsAreSavedByName()
    {
        ChatStore store(dbPath_);
        store.savePreset({QStringLiteral("precise"), QStringLiteral("{\"temperature\":0.2}")});
        store.savePreset({QStringLiteral("Creative"), QStringLiteral("{\"temperature\":1.0}")});
        store.savePreset({QStringLiteral("precise"), QStringLiteral("{\"temperature\":0.1}")});
        const QList<Preset> presets = store.presets();
        QCOMPARE(presets.size(), 2);
        QCOMPARE(presets[0].name, QStringLiteral("Creative"));
        QCOMPARE(presets[1].name, QStringLiteral("precise"));
        QCOMPARE(presets[1].settingsJson, QStringLiteral("{\"temperature\":0.1}"));
        store.deletePreset(QStringLiteral("Creative"));
        QCOMPARE(store.presets().size(), 1);
    }

    void transactionsCommitOrRollBack()
    {
        ChatStore store(dbPath_);
        QVERIFY_THROWS_EXCEPTION(std::runtime_error, store.transaction([&] {
            store.createConversation(QStringLiteral("undone"));
            throw std::runtime_error("stop");
        }));
        QVERIFY(store.conversations().isEmpty());

        store.transaction([&] {
            store.createConversation(QStringLiteral("outer"));
            try {
                store.transaction([&] {
                    store.createConversation(QStringLiteral("inner"));
                    throw std::runtime_error("stop inner");
                });
            } catch (const std::runtime_error&) {
            }
            const qint64 c = store.createConversation(QStringLiteral("after"));
            store.addMessage(c, 0, QStringLiteral("user"), QStringLiteral("nested"));
        });
        QStringList titles;
        for (const Conversation& conversation : store.conversations())
            titles << conversation.title;
        QCOMPARE(titles, (QStringList{QStringLiteral("after"), QStringLiteral("outer")}));
    }

    void migratesTheFirstSchema()
    {
        {
            RawDatabase v1(dbPath_);
            const QString error = v1.exec(R"sql(
                CREATE TABLE conversations(id INTEGER PRIMARY KEY, title TEXT NOT NULL, created_at INTEGER,
                                           updated_at INTEGER);
                CREATE TABLE messages(id INTEGER PRIMARY KEY,
                                      conversation_id INTEGER REFERENCES conversations(id) ON DELETE CASCADE,
                                      role TEXT, content TEXT, created_at INTEGER);
                INSERT INTO conversations VALUES (1, 'old chat', 1000, 5000), (2, '旧的对话', 2000, 6000),
                                                 (3, 'empty', 3000, 3000);
                INSERT INTO messages VALUES (1, 1, 'user', 'hello there', 1100),
                                            (2, 2, 'user', '你好，编程语言', 2100),
                                            (3, 1, 'assistant', 'general kenobi', 1200),
                                            (4, 2, 'assistant', '你好！', 2200),
                                            (5, 1, 'user', 'you are a bold one', 1300);
                PRAGMA user_version = 1;
            )sql");
            QVERIFY2(error.isEmpty(), qPrintable(error));
        }
        ChatStore store(dbPath_);
        QCOMPARE(RawDatabase::valueOf(store.handle(), "PRAGMA user_version"), QStringLiteral("3"));
        QCOMPARE(idsOf(store.conversations()), (QList<qint64>{2, 1, 3}));

        const Conversation old = *store.conversation(1);
        QCOMPARE(old.title, QStringLiteral("old chat"));
        QCOMPARE(old.createdAt.toMSecsSinceEpoch(), 1000);
        QCOMPARE(old.updatedAt.toMSecsSinceEpoch(), 5000);
        QCOMPARE(old.currentLeafId, 5);
        QCOMPARE(old.systemPrompt, QString());
        QCOMPARE(store.conversation(2)->currentLeafId, 4);
        QCOMPARE(store.conversation(3)->currentLeafId, 0);

        QCOMPARE(idsOf(store.pathTo(5)), (QList<qint64>{1, 3, 5}));
        QCOMPARE(idsOf(store.pathTo(4)), (QList<qint64>{2, 4}));
        QCOMPARE(idsOf(store.rootMessages(1)), (QList<qint64>{1}));
        const Message kenobi = *store.message(3);
        QCOMPARE(kenobi.content, QStringLiteral("general kenobi"));
        QCOMPARE(kenobi.role, QStringLiteral("assistant"));
        QCOMPARE(kenobi.createdAt.toMSecsSinceEpoch(), 1200);
        QVERIFY(kenobi.complete);
        QCOMPARE(kenobi.model, QString());

        QCOMPARE(messageIdsOf(store.search(QStringLiteral("kenobi"))), (QList<qint64>{3}));
        QCOMPARE(messageIdsOf(store.search(QStringLiteral("编程语言"))), (QList<qint64>{2}));
        QCOMPARE(RawDatabase::ftsIntegrityOf(store.handle()), QStringLiteral("ok"));
        const qint64 reply = store.addMessage(1, 5, QStringLiteral("assistant"), QStringLiteral("migrated fine"));
        QCOMPARE(idsOf(store.pathTo(reply)), (QList<qint64>{1, 3, 5, reply}));
        QCOMPARE(messageIdsOf(store.search(QStringLiteral("migrated"))), (QList<qint64>{reply}));
    }

    // A version-2 file (made here by taking version 3's columns away again): its answers ended by
    // themselves as far as anyone knows, and the new ones record why they ended.
    void migratesTheSecondSchema()
    {
        qint64 answer = 0;
        {
            ChatStore store(dbPath_);
            const qint64 conversation = store.createConversation(QStringLiteral("before the update"));
            const qint64 question = store.addMessage(conversation, 0, QStringLiteral("user"), QStringLiteral("Hi"));
            answer = store.addMessage(conversation, question, QStringLiteral("assistant"), QStringLiteral("Hello"));
        }
        {
            RawDatabase v2(dbPath_);
            const QString error = v2.exec(R"sql(
                ALTER TABLE messages DROP COLUMN finish_reason;
                ALTER TABLE messages DROP COLUMN generated_tokens;
                PRAGMA user_version = 2;
            )sql");
            QVERIFY2(error.isEmpty(), qPrintable(error));
        }
        ChatStore store(dbPath_);
        QCOMPARE(RawDatabase::valueOf(store.handle(), "PRAGMA user_version"), QStringLiteral("3"));
        const Message old = *store.message(answer);
        QCOMPARE(old.content, QStringLiteral("Hello"));
        QCOMPARE(old.finishReason, QString());
        QCOMPARE(old.generatedTokens, 0);

        store.setMessageContent(answer, QStringLiteral("Hello again"), true, QStringLiteral("maxTokens"), 2048);
        const Message cut = *store.message(answer);
        QCOMPARE(cut.finishReason, QStringLiteral("maxTokens"));
        QCOMPARE(cut.generatedTokens, 2048);
        QCOMPARE(store.pathTo(answer).back().finishReason, QStringLiteral("maxTokens"));
    }

    void refusesANewerSchema()
    {
        {
            RawDatabase newer(dbPath_);
            QCOMPARE(newer.exec("CREATE TABLE conversations(id INTEGER PRIMARY KEY); PRAGMA user_version = 4"), QString());
        }
        const QString error = storeErrorOf([&] { ChatStore store(dbPath_); });
        QVERIFY2(error.contains(dbPath_) && error.contains(QStringLiteral("newer version of Latent")) &&
                     error.contains(QStringLiteral("schema 4, this one reads up to 3")),
                 qPrintable(error));
        QCOMPARE(RawDatabase(dbPath_).value("PRAGMA user_version"), QStringLiteral("4"));
    }

    void refusesAForeignDatabase()
    {
        {
            RawDatabase foreign(dbPath_);
            QCOMPARE(foreign.exec("CREATE TABLE invoices(id INTEGER PRIMARY KEY, total REAL)"), QString());
        }
        const QString error = storeErrorOf([&] { ChatStore store(dbPath_); });
        QVERIFY2(error.contains(dbPath_) && error.contains(QStringLiteral("another program")), qPrintable(error));
        const RawDatabase after(dbPath_);
        QCOMPARE(after.value("SELECT count(*) FROM sqlite_schema"), QStringLiteral("1"));
        QCOMPARE(after.value("PRAGMA journal_mode"), QStringLiteral("delete"));
    }

    void refusesRandomBytes()
    {
        QFile file(dbPath_);
        QVERIFY(file.open(QIODevice::WriteOnly));
        QByteArray noise(16384, '\0');
        QRandomGenerator generator(42);
        for (char& byte : noise)
            byte = char(generator.bounded(256));
        file.write(noise);
        file.close();
        const QString error = storeErrorOf([&] { ChatStore store(dbPath_); });
        QVERIFY2(error.contains(dbPath_) && error.contains(QStringLiteral("is damaged or is not a Latent database")),
                 qPrintable(error));
        QCOMPARE(QFileInfo(dbPath_).size(), noise.size()); // the damaged file is kept as it was
    }

    void refusesATruncatedDatabase()
    {
        {
            ChatStore store(dbPath_);
            const qint64 c = store.createConversation(QStringLiteral("long"));
            qint64 parent = 0;
            for (int i = 0; i < 300; ++i)
                parent = store.addMessage(c, parent, QStringLiteral("user"),
                                          QStringLiteral("message %1 ").arg(i).repeated(60));
        }
        QFile file(dbPath_);
        QVERIFY(file.size() > 200'000);
        QVERIFY(file.resize(file.size() / 3));
        const QString error = storeErrorOf([&] {
            ChatStore store(dbPath_);
            for (const Conversation& conversation : store.conversations())
                store.messages(conversation.id);
            store.search(QStringLiteral("message 299"));
        });
        QVERIFY2(error.contains(dbPath_) && error.contains(QStringLiteral("is damaged")), qPrintable(error));
    }

    void refusesAReadOnlyFile()
    {
        { ChatStore store(dbPath_); }
        QVERIFY(QFile::setPermissions(dbPath_, QFileDevice::ReadOwner | QFileDevice::ReadGroup));
        if (!permissionsAreEnforced())
            QSKIP("running as root, which may write a read-only file: run the tests as a user to check this");
        const QString error = storeErrorOf([&] { ChatStore store(dbPath_); });
        QVERIFY2(error.contains(dbPath_) && error.contains(QStringLiteral("cannot be written: check that")),
                 qPrintable(error));
    }

    void refusesAFolderItCannotWriteIn()
    {
        // A folder that is a file cannot be created, not even by root.
        const QString notAFolder = dir_.filePath(QStringLiteral("plain-file"));
        QFile plain(notAFolder);
        QVERIFY(plain.open(QIODevice::WriteOnly));
        plain.close();
        const QString path = notAFolder + QStringLiteral("/latent.sqlite3");
        const QString error = storeErrorOf([&] { ChatStore store(path); });
        QVERIFY2(error.contains(path) && error.contains(QStringLiteral("cannot be written: check that ") + notAFolder),
                 qPrintable(error));

        if (!permissionsAreEnforced())
            QSKIP("running as root, which may write in a read-only folder: run the tests as a user to check this");
        const QString readOnly = dir_.filePath(QStringLiteral("read-only"));
        QVERIFY(QDir().mkpath(readOnly));
        QVERIFY(QFile::setPermissions(readOnly, QFileDevice::ReadOwner | QFileDevice::ExeOwner));
        const QString inReadOnly = readOnly + QStringLiteral("/latent.sqlite3");
        const QString denied = storeErrorOf([&] { ChatStore store(inReadOnly); });
        QFile::setPermissions(readOnly, QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
        QVERIFY2(denied.contains(inReadOnly) && denied.contains(QStringLiteral("check that ") + readOnly),
                 qPrintable(denied));
    }

    void reportsADatabaseLockedByAnotherProgram()
    {
        ChatStore store(dbPath_);
        const qint64 c = store.createConversation(QStringLiteral("before the lock"));
        const qint64 m = store.addMessage(c, 0, QStringLiteral("assistant"), QStringLiteral("partial"), false);
        sqlite3_busy_timeout(store.handle(), 50); // instead of 5 s
        RawDatabase other(dbPath_);
        QCOMPARE(other.exec("BEGIN EXCLUSIVE; INSERT INTO presets VALUES ('other', '{}')"), QString());

        const QString error = storeErrorOf([&] { store.setMessageContent(m, QStringLiteral("partial answer"), true); });
        QVERIFY2(error.contains(dbPath_) && error.contains(QStringLiteral("is locked by another program")),
                 qPrintable(error));
        QVERIFY(!storeErrorOf([&] { store.createConversation(QStringLiteral("while locked")); }).isEmpty());
        QCOMPARE(store.message(m)->content, QStringLiteral("partial")); // WAL: reading goes on

        QCOMPARE(other.exec("COMMIT"), QString());
        store.setMessageContent(m, QStringLiteral("partial answer"), true);
        QCOMPARE(store.message(m)->content, QStringLiteral("partial answer"));
        QCOMPARE(store.presets().size(), 1);
    }
};

QTEST_GUILESS_MAIN(TestChatStore)
#include "test_chat_store.moc"
