#pragma once

// Runs one of the project's programs (latent-cli, latent) built beside the test, as a script would:
// its exit code and what it wrote, after it ends (two minutes at most).

#include <QCoreApplication>
#include <QProcess>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>

namespace latent::test {

struct ProgramRun {
    int exitCode = -1; // -1: it crashed or did not finish
    QString out;       // stdout, or both when the channels are merged
    QString err;
};

inline ProgramRun runBuiltProgram(const QString& name, const QStringList& arguments,
                                  const QProcessEnvironment& environment = QProcessEnvironment::systemEnvironment(),
                                  QProcess::ProcessChannelMode channels = QProcess::SeparateChannels)
{
    QProcess process;
    process.setProcessEnvironment(environment);
    process.setProcessChannelMode(channels);
    process.start(QCoreApplication::applicationDirPath() + QLatin1Char('/') + name, arguments);
    ProgramRun run;
    if (!process.waitForFinished(120'000)) {
        process.kill();
        process.waitForFinished();
        run.err = name + QStringLiteral(" did not finish: ") + process.errorString();
        return run;
    }
    run.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    run.out = QString::fromUtf8(process.readAllStandardOutput());
    run.err = QString::fromUtf8(process.readAllStandardError());
    return run;
}

} // namespace latent::test
