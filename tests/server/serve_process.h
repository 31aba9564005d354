#pragma once

// `latent-cli serve` (built beside the test) running for the length of a test: started on a free
// loopback port, ready once it has printed its `listening on http://HOST:PORT` line, stopped with
// SIGTERM (a clean stop exits 0).

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>

#include <memory>

namespace latent::test {

class ServeProcess {
public:
    // Starts the server with `arguments` after `serve --port 0`; url() is empty when it did not
    // become ready within a minute, and error() says why.
    explicit ServeProcess(const QStringList& arguments)
    {
        // Its output goes to files: a pipe nobody reads while a test waits on a client would fill
        // and stall the server.
        process_->setStandardOutputFile(logs_.filePath(QStringLiteral("stdout")));
        process_->setStandardErrorFile(logs_.filePath(QStringLiteral("stderr")));
        process_->start(QCoreApplication::applicationDirPath() + QStringLiteral("/latent-cli"),
                        QStringList{QStringLiteral("serve"), QStringLiteral("--port"), QStringLiteral("0")} + arguments);
        const QRegularExpression listening(QStringLiteral("^listening on (http://\\S+)$"),
                                           QRegularExpression::MultilineOption);
        const QDeadlineTimer deadline(60'000);
        while (url_.isEmpty() && !deadline.hasExpired() && process_->state() != QProcess::NotRunning &&
               !process_->waitForFinished(50))
            url_ = listening.match(written(QStringLiteral("stdout"))).captured(1);
        if (url_.isEmpty())
            error_ = QStringLiteral("latent-cli serve did not print `listening on`: ") + written(QStringLiteral("stderr")) +
                     process_->errorString();
    }

    ~ServeProcess() { stop(); }
    ServeProcess(const ServeProcess&) = delete;
    ServeProcess& operator=(const ServeProcess&) = delete;

    QString url() const { return url_; }
    QString error() const { return error_; }

    // SIGTERM, then the exit code (-1: it crashed or had to be killed).
    int stop()
    {
        if (process_->state() != QProcess::NotRunning) {
            process_->terminate();
            if (!process_->waitForFinished(15'000)) {
                process_->kill();
                process_->waitForFinished();
                return -1;
            }
        }
        return process_->exitStatus() == QProcess::NormalExit ? process_->exitCode() : -1;
    }

    // What the server wrote to stderr so far.
    QString errors() const { return written(QStringLiteral("stderr")); }

private:
    QString written(const QString& name) const
    {
        QFile file(logs_.filePath(name));
        return file.open(QIODevice::ReadOnly) ? QString::fromUtf8(file.readAll()) : QString();
    }

    QTemporaryDir logs_;
    std::unique_ptr<QProcess> process_ = std::make_unique<QProcess>();
    QString url_;
    QString error_;
};

} // namespace latent::test
