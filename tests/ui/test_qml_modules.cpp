// Every QML module the app and its tests import is installed, so that a fresh machine set up with
// packaging/debian-build-deps.sh runs every UI test. qmlimportscanner follows the imports of
// ui/qml/, of the Qt Quick Test files and of the QML that the C++ tests load inline, through the
// qmldir files of the modules they name (QtQuick imports QtQml, which imports QtQml.Models); a
// module it cannot find, or one whose qmldir is missing, fails here naming the Debian package.

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLibraryInfo>
#include <QProcess>
#include <QRegularExpression>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

namespace {

// Debian's package for a Qt QML module: qml6-module- and the module's name in lower case with
// dashes, except the Controls styles and their implementations, which come with the Controls.
QString debianPackage(const QString& module)
{
    if (module.startsWith(QLatin1String("QtQuick.Controls")))
        return QStringLiteral("qml6-module-qtquick-controls");
    QString name = module;
    if (name.endsWith(QLatin1String(".impl")))
        name.chop(5);
    return QStringLiteral("qml6-module-") + name.toLower().replace(u'.', u'-');
}

// `import Qt...` lines of the inline QML that C++ sources load with QQmlComponent::setData.
QSet<QString> inlineImports(const QString& folder)
{
    static const QRegularExpression importLine(QStringLiteral("import (Qt[A-Za-z0-9.]*)"));
    QSet<QString> modules;
    QDirIterator files(folder, {QStringLiteral("*.cpp")}, QDir::Files, QDirIterator::Subdirectories);
    while (files.hasNext()) {
        QFile file(files.next());
        if (!file.open(QIODevice::ReadOnly))
            continue;
        auto matches = importLine.globalMatch(QString::fromUtf8(file.readAll()));
        while (matches.hasNext())
            modules.insert(matches.next().captured(1));
    }
    return modules;
}

} // namespace

class QmlModulesTest : public QObject {
    Q_OBJECT

private slots:
    void everyImportedModuleIsInstalled()
    {
        QTemporaryDir inlineFolder;
        QVERIFY2(inlineFolder.isValid(), qPrintable(inlineFolder.errorString()));
        QFile inlineQml(inlineFolder.filePath(QStringLiteral("InlineImports.qml")));
        QVERIFY(inlineQml.open(QIODevice::WriteOnly));
        for (const QString& module : inlineImports(QStringLiteral(LATENT_SOURCE_DIR "/tests")))
            inlineQml.write("import " + module.toUtf8() + "\n");
        inlineQml.write("QtObject {}\n");
        inlineQml.close();

        const QString qtQml = QLibraryInfo::path(QLibraryInfo::QmlImportsPath);
        QProcess scanner;
        scanner.start(QStringLiteral(QMLIMPORTSCANNER),
                      {QStringLiteral("-rootPath"), QStringLiteral(LATENT_SOURCE_DIR "/ui/qml"), QStringLiteral("-rootPath"),
                       QStringLiteral(LATENT_SOURCE_DIR "/tests/ui/qml"), QStringLiteral("-rootPath"), inlineFolder.path(),
                       QStringLiteral("-importPath"), qtQml});
        QVERIFY2(scanner.waitForFinished(60000), "qmlimportscanner did not finish");
        QCOMPARE(scanner.exitCode(), 0);
        const QJsonArray imports = QJsonDocument::fromJson(scanner.readAllStandardOutput()).array();
        QVERIFY2(!imports.isEmpty(), "qmlimportscanner found no imports");

        QStringList missing;
        bool sawQtQuick = false;
        for (const QJsonValue& entry : imports) {
            const QJsonObject import = entry.toObject();
            const QString name = import.value(QLatin1String("name")).toString();
            if (import.value(QLatin1String("type")).toString() != QLatin1String("module") ||
                name.startsWith(QLatin1String("Latent."))) // ours, built into the programs
                continue;
            sawQtQuick = sawQtQuick || name == QLatin1String("QtQuick");
            const QString path = import.value(QLatin1String("path")).toString();
            if (path.isEmpty() || !QFile::exists(path + QLatin1String("/qmldir")))
                missing << QStringLiteral("%1 (install %2)").arg(name, debianPackage(name));
        }
        QVERIFY2(sawQtQuick, "the scan did not reach ui/qml");
        QVERIFY2(missing.isEmpty(),
                 qPrintable(QStringLiteral("QML modules not installed under %1: %2; add the packages to "
                                           "packaging/debian-build-deps.sh")
                                .arg(qtQml, missing.join(QLatin1String(", ")))));
    }

    void packageNamesFollowDebian()
    {
        QCOMPARE(debianPackage(QStringLiteral("QtQml.Models")), QStringLiteral("qml6-module-qtqml-models"));
        QCOMPARE(debianPackage(QStringLiteral("QtQuick.Shapes")), QStringLiteral("qml6-module-qtquick-shapes"));
        QCOMPARE(debianPackage(QStringLiteral("QtQuick.Controls.Basic.impl")),
                 QStringLiteral("qml6-module-qtquick-controls"));
        QCOMPARE(debianPackage(QStringLiteral("QtTest")), QStringLiteral("qml6-module-qttest"));
    }
};

QTEST_GUILESS_MAIN(QmlModulesTest)
#include "test_qml_modules.moc"
