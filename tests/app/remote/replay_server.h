#pragma once

// A loopback HTTP/1.1 server for the remote client's tests: it answers each method and path with a
// response set beforehand (a recorded body from tests/data/remote/), sent at once or in pieces of
// any size with a pause between them, cut after some bytes, or held open until the client closes
// it; and it records the requests and counts the connections the client closed first.

#include <QByteArray>
#include <QFile>
#include <QHash>
#include <QList>
#include <QPointer>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>

namespace latent::test {

// A recorded response body from tests/data/remote/ (see its README).
inline QByteArray recorded(const QString& name) {
    QFile file(QStringLiteral(LATENT_TEST_DATA_DIR "/remote/") + name);
    if (!file.open(QIODevice::ReadOnly)) {
        qFatal("missing test data %s", qPrintable(file.fileName()));
    }
    return file.readAll();
}

class ReplayServer : public QObject {
    Q_OBJECT

public:
    struct Response {
        int status = 200;
        QList<QPair<QByteArray, QByteArray>> headers; // besides Connection: close
        QByteArray body;
        qsizetype pieceSize = 0;     // 0: the whole body in one write
        int pauseMs = 0;             // between pieces
        qsizetype cutAfter = -1;     // >= 0: close the connection after this many bytes of the body
        bool holdOpen = false;       // after the body, keep the connection until the client closes it
    };
    struct Request {
        QByteArray method;
        QByteArray path;
        QHash<QByteArray, QByteArray> headers; // names in lower case
        QByteArray body;
    };

    ReplayServer() {
        connect(&server_, &QTcpServer::newConnection, this, &ReplayServer::accept);
        server_.listen(QHostAddress::LocalHost, 0);
    }

    QString baseUrl() const { return QStringLiteral("http://127.0.0.1:%1/v1").arg(server_.serverPort()); }
    void answer(const QByteArray& method, const QByteArray& path, const Response& response) {
        routes_.insert(method + ' ' + path, response);
    }
    static Response sse(const QByteArray& body) {
        Response response;
        response.headers = {{"Content-Type", "text/event-stream"}, {"Cache-Control", "no-cache"}};
        response.body = body;
        return response;
    }
    static Response json(int status, const QByteArray& body) {
        Response response;
        response.status = status;
        response.headers = {{"Content-Type", "application/json"}};
        response.body = body;
        return response;
    }

    const QList<Request>& requests() const { return requests_; }
    int closedByClient() const { return closedByClient_; } // before the server was done with them

private:
    struct Connection {
        QByteArray received;
        bool answered = false;
        bool done = false;
    };

    void accept() {
        while (QTcpSocket* socket = server_.nextPendingConnection()) {
            auto* connection = new Connection;
            connect(socket, &QTcpSocket::readyRead, this, [this, socket, connection] { read(socket, *connection); });
            connect(socket, &QTcpSocket::disconnected, this, [this, socket, connection] {
                if (!connection->done) {
                    ++closedByClient_;
                }
                connection->done = true;
                socket->deleteLater();
            });
            connect(socket, &QObject::destroyed, this, [connection] { delete connection; });
        }
    }

    void read(QTcpSocket* socket, Connection& connection) {
        connection.received += socket->readAll();
        const qsizetype headerEnd = connection.received.indexOf("\r\n\r\n");
        if (connection.answered || headerEnd < 0) {
            return;
        }
        Request request;
        const QList<QByteArray> lines = connection.received.left(headerEnd).split('\n');
        const QList<QByteArray> requestLine = lines.first().trimmed().split(' ');
        request.method = requestLine.value(0);
        request.path = requestLine.value(1);
        for (qsizetype i = 1; i < lines.size(); ++i) {
            const qsizetype colon = lines[i].indexOf(':');
            request.headers.insert(lines[i].left(colon).trimmed().toLower(), lines[i].mid(colon + 1).trimmed());
        }
        const qsizetype length = request.headers.value("content-length").toLongLong();
        if (connection.received.size() < headerEnd + 4 + length) {
            return;
        }
        request.body = connection.received.mid(headerEnd + 4, length);
        connection.answered = true;
        requests_.append(request);
        const Response response = routes_.value(request.method + ' ' + request.path,
                                                json(404, R"({"error":{"message":"no route"}})"));
        QByteArray head = "HTTP/1.1 " + QByteArray::number(response.status) + " Replayed\r\nConnection: close\r\n";
        for (const auto& [name, value] : response.headers) {
            head += name + ": " + value + "\r\n";
        }
        bool isStream = response.cutAfter >= 0 || response.holdOpen;
        for (const auto& [name, value] : response.headers) {
            isStream = isStream || value == "text/event-stream";
        }
        if (!isStream) {
            head += "Content-Length: " + QByteArray::number(response.body.size()) + "\r\n";
        }
        socket->write(head + "\r\n");
        send(QPointer<QTcpSocket>(socket), &connection, response, 0);
    }

    void send(QPointer<QTcpSocket> socket, Connection* connection, const Response& response, qsizetype at) {
        if (!socket || connection->done) {
            return;
        }
        const qsizetype end = response.cutAfter >= 0 ? qMin(response.cutAfter, response.body.size())
                                                     : response.body.size();
        const qsizetype piece = response.pieceSize > 0 ? response.pieceSize : end - at;
        const qsizetype next = qMin(end, at + piece);
        socket->write(response.body.mid(at, next - at));
        if (next < end) {
            QTimer::singleShot(response.pauseMs, this,
                               [this, socket, connection, response, next] { send(socket, connection, response, next); });
            return;
        }
        if (response.holdOpen) {
            return; // the client closes it: counted in closedByClient
        }
        connection->done = true;
        socket->disconnectFromHost();
    }

    QTcpServer server_;
    QHash<QByteArray, Response> routes_;
    QList<Request> requests_;
    int closedByClient_ = 0;
};

} // namespace latent::test
