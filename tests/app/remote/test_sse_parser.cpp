// SseParser: events from bytes cut anywhere, every line end, comments, multi-line data, ids,
// the bound on a line and an event, and a stream that ends inside an event.
#include "app/remote/sse_parser.h"

#include <QTest>

using latent::app::remote::SseEvent;
using latent::app::remote::SseParser;

namespace {

QList<SseEvent> parseInPieces(const QByteArray& stream, qsizetype pieceSize, SseParser& parser) {
    QList<SseEvent> events;
    for (qsizetype at = 0; at < stream.size(); at += pieceSize) {
        events += parser.feed(QByteArrayView(stream).sliced(at, qMin(pieceSize, stream.size() - at)));
    }
    return events;
}

} // namespace

class TestSseParser : public QObject {
    Q_OBJECT

private slots:
    void oneEventPerBlankLine() {
        SseParser parser;
        const auto events = parser.feed("data: {\"a\":1}\n\ndata: [DONE]\n\n");
        QCOMPARE(events.size(), 2);
        QCOMPARE(events[0].name, QStringLiteral("message"));
        QCOMPARE(events[0].data, QByteArray("{\"a\":1}"));
        QCOMPARE(events[1].data, QByteArray("[DONE]"));
        QVERIFY(!parser.endedMidEvent());
        QVERIFY(!parser.failed());
    }

    void everyLineEndAndEverySplit_data() {
        QTest::addColumn<QByteArray>("lineEnd");
        QTest::newRow("LF") << QByteArray("\n");
        QTest::newRow("CRLF") << QByteArray("\r\n");
        QTest::newRow("CR") << QByteArray("\r");
    }
    void everyLineEndAndEverySplit() {
        QFETCH(QByteArray, lineEnd);
        const QByteArray stream = QByteArray(": keep-alive") + lineEnd + "event: delta" + lineEnd + "id: 7" + lineEnd
                                  + "data: first" + lineEnd + "data:second" + lineEnd + "data" + lineEnd + lineEnd
                                  + "data: 你好" + lineEnd + lineEnd;
        // Every piece size, so that every byte boundary (inside a CRLF, inside a UTF-8 character,
        // inside a field name) is a cut somewhere.
        for (qsizetype pieceSize = 1; pieceSize <= stream.size(); ++pieceSize) {
            SseParser parser;
            const auto events = parseInPieces(stream, pieceSize, parser);
            QCOMPARE(events.size(), 2);
            QCOMPARE(events[0].name, QStringLiteral("delta"));
            QCOMPARE(events[0].id, QStringLiteral("7"));
            QCOMPARE(events[0].data, QByteArray("first\nsecond\n"));
            QCOMPARE(events[1].name, QStringLiteral("message"));
            QCOMPARE(events[1].id, QStringLiteral("7")); // the last id carries over
            QCOMPARE(QString::fromUtf8(events[1].data), QStringLiteral("你好"));
            QVERIFY(!parser.endedMidEvent());
        }
    }

    void crThenCrlfIsTwoLineEnds() {
        SseParser parser;
        // "data: a" CR ends the line, CR LF is a blank line: the event is dispatched.
        QCOMPARE(parser.feed("data: a\r").size(), 0);
        const auto events = parser.feed("\r\n");
        QCOMPARE(events.size(), 1);
        QCOMPARE(events[0].data, QByteArray("a"));
    }

    void onlyTheFirstSpaceIsDropped() {
        SseParser parser;
        const auto events = parser.feed("data:  two spaces\n\n");
        QCOMPARE(events.size(), 1);
        QCOMPARE(events[0].data, QByteArray(" two spaces"));
    }

    void eventsWithoutDataAreNotDispatched() {
        SseParser parser;
        QCOMPARE(parser.feed("event: ping\nid: 3\n\n: comment\n\n").size(), 0);
        QVERIFY(!parser.endedMidEvent());
    }

    void aStreamCutInsideAnEvent() {
        SseParser lineCut;
        lineCut.feed("data: {\"choices\":[{\"delta\":{\"content\":\"Hel");
        QVERIFY(lineCut.endedMidEvent());

        SseParser blankLineMissing;
        QCOMPARE(blankLineMissing.feed("data: {}\n").size(), 0);
        QVERIFY(blankLineMissing.endedMidEvent());

        SseParser afterAComment;
        afterAComment.feed("data: x\n\n: keep-alive\n");
        QVERIFY(!afterAComment.endedMidEvent());
    }

    void aLineLargerThanTheBoundIsAnError() {
        SseParser parser(64);
        parser.feed("data: ");
        for (int i = 0; i < 10 && !parser.failed(); ++i) {
            parser.feed(QByteArray(16, 'x'));
        }
        QVERIFY(parser.failed());
        QVERIFY2(parser.error().contains(QStringLiteral("line")), qPrintable(parser.error()));
        QCOMPARE(parser.feed("\n\ndata: later\n\n").size(), 0); // nothing after an error
    }

    void anEventLargerThanTheBoundIsAnError() {
        SseParser parser(64);
        QByteArray stream;
        for (int i = 0; i < 10; ++i) {
            stream += "data: " + QByteArray(20, 'y') + "\n";
        }
        QCOMPARE(parser.feed(stream).size(), 0);
        QVERIFY(parser.failed());
        QVERIFY2(parser.error().contains(QStringLiteral("event")), qPrintable(parser.error()));
    }
};

QTEST_GUILESS_MAIN(TestSseParser)
#include "test_sse_parser.moc"
