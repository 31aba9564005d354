#include "app/remote/sse_parser.h"

#include <utility>

namespace latent::app::remote {

SseParser::SseParser(qsizetype maxEventBytes) : maxEventBytes_(maxEventBytes) {}

QList<SseEvent> SseParser::feed(QByteArrayView bytes) {
    QList<SseEvent> events;
    qsizetype start = 0; // of the bytes not yet added to line_
    for (qsizetype i = 0; i < bytes.size() && !failed(); ++i) {
        const char c = bytes[i];
        if (c != '\n' && c != '\r') {
            continue;
        }
        if (c == '\n' && afterCr_ && i == start && line_.isEmpty()) {
            afterCr_ = false; // the LF of a CRLF whose CR ended the line already
            start = i + 1;
            continue;
        }
        line_.append(bytes.sliced(start, i - start));
        start = i + 1;
        afterCr_ = c == '\r';
        if (line_.size() > maxEventBytes_) {
            break;
        }
        const QByteArray line = std::exchange(line_, {});
        takeLine(line, events);
    }
    if (!failed() && start < bytes.size()) {
        afterCr_ = false;
        line_.append(bytes.sliced(start));
    }
    if (!failed() && line_.size() > maxEventBytes_) {
        error_ = tr("the server sent a line longer than %1 MiB without ending it")
                     .arg(maxEventBytes_ / (1024 * 1024));
        line_.clear();
    }
    return failed() ? QList<SseEvent>{} : events;
}

void SseParser::takeLine(QByteArrayView line, QList<SseEvent>& events) {
    if (line.isEmpty()) {
        if (hasData_) {
            event_.data.chop(1); // the "\n" after the last data line
            event_.id = lastId_;
            events.append(std::exchange(event_, {}));
        }
        event_ = {};
        eventStarted_ = hasData_ = false;
        return;
    }
    if (line.front() == ':') {
        return; // a comment, such as a keep-alive
    }
    eventStarted_ = true;
    const qsizetype colon = line.indexOf(':');
    if (colon < 0) {
        takeField(line, {});
        return;
    }
    QByteArrayView value = line.sliced(colon + 1);
    if (value.startsWith(' ')) {
        value = value.sliced(1);
    }
    takeField(line.first(colon), value);
}

void SseParser::takeField(QByteArrayView name, QByteArrayView value) {
    if (name == "data") {
        if (event_.data.size() + value.size() + 1 > maxEventBytes_) {
            error_ = tr("the server sent an event larger than %1 MiB")
                         .arg(maxEventBytes_ / (1024 * 1024));
            return;
        }
        event_.data.append(value);
        event_.data.append('\n');
        hasData_ = true;
    } else if (name == "event") {
        event_.name = QString::fromUtf8(value);
    } else if (name == "id" && !value.contains('\0')) {
        lastId_ = QString::fromUtf8(value);
    }
    // "retry" and unknown fields are ignored, as the format says.
}

bool SseParser::endedMidEvent() const {
    return !line_.isEmpty() || eventStarted_;
}

} // namespace latent::app::remote
