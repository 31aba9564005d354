#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QCoreApplication>
#include <QList>
#include <QString>

namespace latent::app::remote {

// One server-sent event: what a blank line ends.
struct SseEvent {
    QString name = QStringLiteral("message"); // the `event:` field; "message" when none was given
    QByteArray data;                          // every `data:` line of the event, joined by "\n"
    QString id;                               // the last `id:` seen in the stream so far
};

// Reads a stream of server-sent events (the WHATWG EventSource format) as its bytes arrive, in
// pieces cut anywhere: lines end in LF, CRLF or CR (a CRLF split between two reads is one line
// end), lines starting with ':' are comments, and an event is dispatched at a blank line. A line or
// an event larger than maxEventBytes is an error (a server that never ends a line must not grow
// memory without bound); after an error the parser ignores what it is fed.
class SseParser {
    Q_DECLARE_TR_FUNCTIONS(SseParser)

public:
    static constexpr qsizetype defaultMaxEventBytes = 4 * 1024 * 1024;

    explicit SseParser(qsizetype maxEventBytes = defaultMaxEventBytes);

    // The events the bytes complete, in order.
    QList<SseEvent> feed(QByteArrayView bytes);

    bool failed() const { return !error_.isEmpty(); }
    QString error() const { return error_; } // in plain words; empty while none

    // At the stream's end: whether it stopped inside an event (a line without its end, or fields
    // without the blank line that dispatches them).
    bool endedMidEvent() const;

private:
    void takeLine(QByteArrayView line, QList<SseEvent>& events);
    void takeField(QByteArrayView name, QByteArrayView value);

    qsizetype maxEventBytes_;
    QByteArray line_;         // the line being read, without its end
    bool afterCr_ = false;    // the last byte read was a CR: an LF right after it ends nothing
    SseEvent event_;          // the fields of the event being read
    bool eventStarted_ = false;
    bool hasData_ = false;
    QString lastId_;
    QString error_;
};

} // namespace latent::app::remote
