// An answer's <think> block apart from its answer: R1's local text (which may begin inside the
// block, its opening tag in the prompt), a remote answer's (which starts with it), a block still
// open, no block; and the message list's roles that carry the parts to the bubble.
#include "app/chat/message_list_model.h"
#include "app/chat/thinking_text.h"

#include <QTest>

using namespace latent::app;

class TestThinkingText : public QObject {
    Q_OBJECT

private slots:
    void parts_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("thinking");
        QTest::addColumn<QString>("answer");
        QTest::addColumn<bool>("open");
        QTest::newRow("remote") << "<think>\nCompare.\n</think>\n\n9.8" << "Compare." << "9.8" << false;
        QTest::newRow("local R1, tag in the prompt") << "Compare.\n</think>\n\n9.8" << "Compare." << "9.8" << false;
        QTest::newRow("still thinking") << "<think>\nLet me" << "Let me" << "" << true;
        QTest::newRow("none") << "Just an answer." << "" << "Just an answer." << false;
        QTest::newRow("empty") << "" << "" << "" << false;
    }
    void parts() {
        QFETCH(QString, text);
        QFETCH(QString, thinking);
        QFETCH(QString, answer);
        QFETCH(bool, open);
        const ThinkingParts parts = splitThinking(text);
        QCOMPARE(parts.thinking, thinking);
        QCOMPARE(parts.answer, answer);
        QCOMPARE(parts.thinkingOpen, open);
        QCOMPARE(parts.hasThinking, !thinking.isEmpty() || open);
    }

    void rolesOfTheMessageList() {
        MessageListModel model;
        Message user;
        user.role = QStringLiteral("user");
        user.content = QStringLiteral("What is </think>?"); // the user's text is never split
        Message answer;
        answer.role = QStringLiteral("assistant");
        answer.content = QStringLiteral("<think>\nA tag.\n</think>\n\nA closing tag.");
        model.setRows({{user}, {answer}});
        QCOMPARE(model.data(model.index(0), MessageListModel::AnswerTextRole).toString(), user.content);
        QCOMPARE(model.data(model.index(0), MessageListModel::ThinkingRole).toString(), QString());
        QCOMPARE(model.data(model.index(1), MessageListModel::ThinkingRole).toString(), QStringLiteral("A tag."));
        QCOMPARE(model.data(model.index(1), MessageListModel::AnswerTextRole).toString(), QStringLiteral("A closing tag."));
        QCOMPARE(model.data(model.index(1), MessageListModel::ThinkingOpenRole).toBool(), false);
        QCOMPARE(model.roleNames().value(MessageListModel::ThinkingOpenRole), QByteArray("thinkingOpen"));
    }
};

QTEST_GUILESS_MAIN(TestThinkingText)
#include "test_thinking_text.moc"
