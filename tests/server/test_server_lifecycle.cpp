// OpenAiServer started and stopped at once, as the app does when a setting changes: stop() ends
// a listener that has only just started (cpp-httplib's stop() does nothing before it runs, which
// left join() waiting for ever), and setModel() after stop() is harmless.

#include "app/server/openai_server.h"

#include <httplib.h>

#include <QTest>

using latent::server::OpenAiServer;
using latent::server::ServerOptions;

class ServerLifecycleTest : public QObject {
    Q_OBJECT

private slots:
    void stopsRightAfterStarting()
    {
        for (int i = 0; i < 50; ++i) {
            OpenAiServer server(ServerOptions{.port = 0});
            QVERIFY(server.start() > 0);
            server.stop();
        }
    }

    void answersUntilStoppedThenNoMore()
    {
        OpenAiServer server(ServerOptions{.port = 0});
        const int port = server.start();
        httplib::Client client("127.0.0.1", port);
        const httplib::Result health = client.Get("/health");
        QVERIFY(health);
        QCOMPARE(health->status, 200);
        server.stop();
        QVERIFY(!client.Get("/health"));
        server.setModel(std::nullopt); // after stop(): nothing to do, nothing to break
        server.stop();                 // idempotent
    }
};

QTEST_GUILESS_MAIN(ServerLifecycleTest)
#include "test_server_lifecycle.moc"
