// The Simplified Chinese translation covers every string the user sees: the .ts file has no
// entry left unfinished or kept for a string the sources no longer hold, and running lupdate over
// the sources (as `update_translations` does, into a copy) finds no string the file lacks.

#include <QFile>
#include <QProcess>
#include <QStringList>
#include <QTemporaryDir>
#include <QTest>
#include <QXmlStreamReader>

namespace {

// "context: source" of each message whose translation is unfinished, vanished, obsolete or empty.
QStringList untranslatedMessages(const QString& tsPath)
{
    QFile file(tsPath);
    if (!file.open(QIODevice::ReadOnly))
        return {QStringLiteral("cannot read %1").arg(tsPath)};
    QXmlStreamReader xml(&file);
    QStringList untranslated;
    QString context;
    QString source;
    while (!xml.atEnd()) {
        if (xml.readNext() != QXmlStreamReader::StartElement)
            continue;
        if (xml.name() == QLatin1String("name")) {
            context = xml.readElementText();
        } else if (xml.name() == QLatin1String("source")) {
            source = xml.readElementText();
        } else if (xml.name() == QLatin1String("translation")) {
            const QString type = xml.attributes().value(QLatin1String("type")).toString();
            const QString text = xml.readElementText(QXmlStreamReader::IncludeChildElements);
            if (!type.isEmpty() || text.trimmed().isEmpty())
                untranslated.append(QStringLiteral("%1: %2 (%3)").arg(context, source, type.isEmpty() ? "empty" : type));
        }
    }
    if (xml.hasError())
        untranslated.append(QStringLiteral("%1: not valid XML: %2").arg(tsPath, xml.errorString()));
    return untranslated;
}

bool run(const QString& program, const QStringList& arguments)
{
    QProcess process;
    process.setProcessChannelMode(QProcess::ForwardedChannels);
    process.start(program, arguments);
    return process.waitForFinished(300000) && process.exitStatus() == QProcess::NormalExit && process.exitCode() == 0;
}

} // namespace

class TranslationsCompleteTest : public QObject {
    Q_OBJECT

private slots:
    void everyEntryOfTheFileIsTranslated()
    {
        const QStringList untranslated = untranslatedMessages(QStringLiteral(TS_FILE));
        QVERIFY2(untranslated.isEmpty(), qPrintable(QStringLiteral("untranslated in %1:\n%2")
                                                        .arg(QStringLiteral(TS_FILE), untranslated.join('\n'))));
    }

    void everyStringOfTheSourcesIsInTheFile()
    {
        QVERIFY2(QFile::exists(QStringLiteral(LUPDATE_PROJECT)),
                 "configure the build first: qt_add_translations writes the lupdate project there");
        const QTemporaryDir folder;
        const QString project = folder.filePath(QStringLiteral("project.json"));
        const QString ts = folder.filePath(QStringLiteral("latent_zh_CN.ts"));
        QVERIFY(QFile::copy(QStringLiteral(TS_FILE), ts));
        // The same project lupdate reads for update_translations, written out as Qt's own rule does.
        QVERIFY(run(QStringLiteral(CMAKE_COMMAND),
                    {QStringLiteral("-DIN_FILE=" LUPDATE_PROJECT), QStringLiteral("-DOUT_FILE=") + project,
                     QStringLiteral("-P"), QStringLiteral(GENERATE_LUPDATE_PROJECT)}));
        QVERIFY(run(QStringLiteral(LUPDATE), {QStringLiteral("-silent"), QStringLiteral("-project"), project,
                                              QStringLiteral("-ts"), ts, QStringLiteral("-no-obsolete"),
                                              QStringLiteral("-locations"), QStringLiteral("none")}));
        const QStringList untranslated = untranslatedMessages(ts);
        QVERIFY2(untranslated.isEmpty(),
                 qPrintable(QStringLiteral("strings of the sources not translated in %1 (run update_translations and "
                                           "translate them):\n%2")
                                .arg(QStringLiteral(TS_FILE), untranslated.join('\n'))));
    }
};

QTEST_GUILESS_MAIN(TranslationsCompleteTest)
#include "test_translations_complete.moc"
