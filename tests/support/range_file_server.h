#pragma once

// A loopback HTTP/1.1 server of one file for download tests: byte ranges (206 with Content-Range,
// If-Range against its ETag), or the whole file when told to ignore ranges (200), a redirect to
// the file (as Hugging Face sends its downloads to a CDN), 404 for any other path, and connections
// dropped after a chosen byte of the file, as a flaky network does.

#include <QByteArray>
#include <QHostAddress>
#include <QList>
#include <QPointer>
#include <QRegularExpression>
#include <QTcpServer>
#include <QTcpSocket>
#include <QUrl>

namespace latent::test {

class RangeFileServer {
public:
    RangeFileServer(QByteArray body, QString path) : body_(std::move(body)), path_(std::move(path))
    {
        QObject::connect(&server_, &QTcpServer::newConnection, &server_, [this] {
            while (QTcpSocket* socket = server_.nextPendingConnection())
                serve(socket);
        });
        server_.listen(QHostAddress::LocalHost);
    }

    QUrl url() const { return base().resolved(QUrl(path_)); }
    QUrl redirectingUrl() const { return base().resolved(QUrl(QStringLiteral("/redirect") + path_)); }
    QUrl base() const { return QUrl(QStringLiteral("http://127.0.0.1:%1/").arg(server_.serverPort())); }

    // File offsets at which the next responses stop: each one is used by the first response that
    // passes it, which sends the bytes before it and closes the connection.
    QList<qint64> dropAt;
    bool honourRange = true;
    QByteArray etag = "\"v1\"";
    QList<QByteArray> rangesAsked; // the Range header of every request of the file ("" when none)

private:
    void serve(QTcpSocket* socket)
    {
        auto* request = new QByteArray;
        QObject::connect(socket, &QTcpSocket::disconnected, socket, [socket, request] {
            delete request;
            socket->deleteLater();
        });
        QObject::connect(socket, &QTcpSocket::readyRead, socket, [this, socket, request] {
            request->append(socket->readAll());
            const qsizetype end = request->indexOf("\r\n\r\n");
            if (end < 0)
                return;
            respond(socket, request->left(end));
            request->remove(0, end + 4);
        });
    }

    static QByteArray header(const QByteArray& head, const char* name)
    {
        for (const QByteArray& line : head.split('\n')) {
            const qsizetype colon = line.indexOf(':');
            if (colon > 0 && line.left(colon).trimmed().toLower() == QByteArray(name).toLower())
                return line.mid(colon + 1).trimmed();
        }
        return {};
    }

    void respond(QTcpSocket* socket, const QByteArray& head)
    {
        const QList<QByteArray> requestLine = head.left(head.indexOf('\r')).split(' ');
        const QByteArray target = requestLine.value(1);
        if (target == "/redirect" + path_.toUtf8()) {
            socket->write("HTTP/1.1 302 Found\r\nLocation: " + path_.toUtf8() + "\r\nContent-Length: 0\r\n\r\n");
            return;
        }
        if (target != path_.toUtf8()) {
            socket->write("HTTP/1.1 404 Not Found\r\nContent-Type: text/plain\r\nContent-Length: 9\r\n\r\nnot found");
            return;
        }
        const QByteArray range = header(head, "Range");
        rangesAsked.append(range);
        qint64 start = 0;
        static const QRegularExpression bytesFrom(QStringLiteral("^bytes=(\\d+)-$"));
        const QRegularExpressionMatch match = bytesFrom.match(QString::fromLatin1(range));
        const QByteArray ifRange = header(head, "If-Range");
        const bool partial = honourRange && match.hasMatch() && (ifRange.isEmpty() || ifRange == etag);
        if (partial)
            start = match.captured(1).toLongLong();
        if (start > body_.size()) {
            socket->write("HTTP/1.1 416 Range Not Satisfiable\r\nContent-Length: 0\r\n\r\n");
            return;
        }
        QByteArray response = partial ? "HTTP/1.1 206 Partial Content\r\n" : "HTTP/1.1 200 OK\r\n";
        response += "Content-Length: " + QByteArray::number(body_.size() - start) + "\r\n";
        if (partial)
            response += "Content-Range: bytes " + QByteArray::number(start) + '-' +
                        QByteArray::number(body_.size() - 1) + '/' + QByteArray::number(body_.size()) + "\r\n";
        response += "ETag: " + etag + "\r\nAccept-Ranges: bytes\r\n\r\n";
        qint64 end = body_.size();
        for (qsizetype i = 0; i < dropAt.size(); ++i) {
            if (dropAt[i] > start && dropAt[i] < end) {
                end = dropAt[i];
                dropAt.remove(i);
                break;
            }
        }
        socket->write(response + body_.mid(start, end - start));
        if (end < body_.size()) { // close the connection once those bytes have left
            QPointer<QTcpSocket> guard(socket);
            QObject::connect(socket, &QTcpSocket::bytesWritten, socket, [guard] {
                if (guard && guard->bytesToWrite() == 0)
                    guard->disconnectFromHost();
            });
        }
    }

    QTcpServer server_;
    QByteArray body_;
    QString path_;
};

} // namespace latent::test
