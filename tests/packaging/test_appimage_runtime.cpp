// The AppImage type-2 runtime (packaging/appimage/runtime/) on a tiny AppDir whose AppRun prints
// its environment and arguments and exits with a status it is given: the format's marks in the ELF
// file, the offset, extraction with and without a pattern, running through extract-and-run and
// through a FUSE mount with the environment, arguments, exit status and signals passed through, and
// no temporary folder or mount left behind. The AppImage lies in a folder whose path has spaces and
// non-ASCII characters, and so does a file inside it.

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <cerrno>
#include <cstring>
#include <utility>

#include <elf.h>
#include <fcntl.h>
#include <unistd.h>

namespace {

// Prints KEY=value lines, one ARG= line per argument; `wait MARKER` makes it write MARKER and
// sleep (as the same process, so a signal that ends it ends the sleep).
constexpr char appRunScript[] = R"sh(#!/bin/sh
printf 'APPIMAGE=%s\nAPPDIR=%s\nARGV0=%s\nOWD=%s\n' "$APPIMAGE" "$APPDIR" "$ARGV0" "$OWD"
for argument in "$@"; do printf 'ARG=%s\n' "$argument"; done
printf 'DATA=%s\n' "$(cat "$APPDIR/usr/share/数据 ü.txt")"
if [ "$1" = wait ]; then
    echo started > "$2"
    exec sleep 600
fi
exit "${APP_EXIT_STATUS:-0}"
)sh";
constexpr char dataText[] = "payload ü 数据";

struct Run {
    int exitCode = -1;
    QProcess::ExitStatus exitStatus = QProcess::CrashExit;
    QStringList output;    // stdout lines
    QString errorOutput;

    QStringList values(const QString &key) const
    {
        QStringList found;
        for (const QString &line : output)
            if (line.startsWith(key + QLatin1Char('=')))
                found << line.mid(key.size() + 1);
        return found;
    }
    QString value(const QString &key) const { return values(key).value(0); }
};

void writeFile(const QString &path, const QByteArray &bytes, QFile::Permissions permissions)
{
    QFile file(path);
    QVERIFY2(file.open(QIODevice::WriteOnly), qPrintable(path));
    QCOMPARE(file.write(bytes), bytes.size());
    file.close();
    QVERIFY(file.setPermissions(permissions));
}

} // namespace

class TestAppImageRuntime : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void startsWithTheTypeTwoMagic();
    void reservesTheSignatureAndUpdateSections();
    void printsWhereTheImageStarts();
    void extractsEverything();
    void extractsOnlyWhatThePatternMatches_data();
    void extractsOnlyWhatThePatternMatches();
    void runsAppRunWithItsEnvironment_data();
    void runsAppRunWithItsEnvironment();
    void passesSignalsAndCleansUp_data();
    void passesSignalsAndCleansUp();
    void mountsUntilStopped();

private:
    QProcessEnvironment runtimeEnvironment() const;
    Run run(const QStringList &arguments, const QStringList &environment = {});
    QString whyFuseCannotRun(const Run &run) const;
    QStringList leftovers() const;
    bool mountedUnder(const QString &folder) const;

    QTemporaryDir m_root;
    QString m_image;       // the AppImage, in a folder named with spaces and non-ASCII characters
    QString m_workingDir;  // where the runtime runs: OWD, and where --appimage-extract writes
    QString m_temporary;   // the runtime's TMPDIR, which must be empty after every run
};

void TestAppImageRuntime::initTestCase()
{
    QVERIFY(m_root.isValid());
    const QString appDir = m_root.filePath(QStringLiteral("AppDir"));
    QVERIFY(QDir().mkpath(appDir + QStringLiteral("/usr/share")));
    QVERIFY(QDir().mkpath(appDir + QStringLiteral("/usr/bin")));
    const auto executable = QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner | QFile::ReadGroup |
                            QFile::ExeGroup | QFile::ReadOther | QFile::ExeOther;
    const auto readable = QFile::ReadOwner | QFile::WriteOwner | QFile::ReadGroup | QFile::ReadOther;
    writeFile(appDir + QStringLiteral("/AppRun"), appRunScript, executable);
    writeFile(appDir + QStringLiteral("/latent.desktop"), "[Desktop Entry]\n", readable);
    writeFile(appDir + QStringLiteral("/usr/share/数据 ü.txt"), dataText, readable);
    writeFile(appDir + QStringLiteral("/usr/bin/tool"), "#!/bin/sh\n", executable);
    QCOMPARE(::symlink("usr/bin/tool", QFile::encodeName(appDir + QStringLiteral("/tool-link")).constData()), 0);

    const QString squashfs = m_root.filePath(QStringLiteral("image.squashfs"));
    QProcess mksquashfs;
    mksquashfs.start(QStringLiteral(LATENT_MKSQUASHFS),
                     {appDir, squashfs, QStringLiteral("-comp"), QStringLiteral("zstd"), QStringLiteral("-root-owned"),
                      QStringLiteral("-noappend"), QStringLiteral("-quiet"), QStringLiteral("-no-progress")});
    QVERIFY(mksquashfs.waitForFinished(60000));
    QVERIFY2(mksquashfs.exitCode() == 0, mksquashfs.readAllStandardError().constData());

    // The contract with the AppDir assembly: the runtime, then the image, and executable.
    const QString folder = m_root.filePath(QStringLiteral("dir with spaces ü 空格"));
    QVERIFY(QDir().mkpath(folder));
    m_image = folder + QStringLiteral("/Test ü.AppImage");
    QFile runtime(QStringLiteral(LATENT_APPIMAGE_RUNTIME));
    QFile image(squashfs);
    QVERIFY(runtime.open(QIODevice::ReadOnly) && image.open(QIODevice::ReadOnly));
    writeFile(m_image, runtime.readAll() + image.readAll(), executable);
    m_workingDir = m_root.filePath(QStringLiteral("working dir ü"));
    m_temporary = m_root.filePath(QStringLiteral("tmp ü"));
}

void TestAppImageRuntime::init()
{
    QVERIFY(QDir(m_workingDir).removeRecursively() && QDir().mkpath(m_workingDir));
    QVERIFY(QDir(m_temporary).removeRecursively() && QDir().mkpath(m_temporary));
}

// The caller's own choice of the runtime's mode must not leak into the cases.
QProcessEnvironment TestAppImageRuntime::runtimeEnvironment() const
{
    QProcessEnvironment variables = QProcessEnvironment::systemEnvironment();
    variables.remove(QStringLiteral("APPIMAGE_EXTRACT_AND_RUN"));
    variables.remove(QStringLiteral("TARGET_APPIMAGE"));
    variables.insert(QStringLiteral("TMPDIR"), m_temporary);
    return variables;
}

Run TestAppImageRuntime::run(const QStringList &arguments, const QStringList &environment)
{
    QProcess process;
    QProcessEnvironment variables = runtimeEnvironment();
    for (const QString &assignment : environment)
        variables.insert(assignment.section(QLatin1Char('='), 0, 0), assignment.section(QLatin1Char('='), 1));
    process.setProcessEnvironment(variables);
    process.setWorkingDirectory(m_workingDir);
    process.start(m_image, arguments);
    Run result;
    if (!process.waitForFinished(60000))
        return result;
    result.exitCode = process.exitCode();
    result.exitStatus = process.exitStatus();
    result.output = QString::fromUtf8(process.readAllStandardOutput()).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    result.errorOutput = QString::fromUtf8(process.readAllStandardError());
    return result;
}

// Why the FUSE cases cannot run here, or an empty string where they can. They are the only cases
// that may skip, in a sandbox or container without FUSE: /dev/fuse cannot be opened, or the runtime
// says it cannot mount and libfuse or fusermount3 says why. Any other failure fails.
QString TestAppImageRuntime::whyFuseCannotRun(const Run &run) const
{
    const int device = ::open("/dev/fuse", O_RDWR | O_CLOEXEC);
    if (device < 0)
        return QStringLiteral("/dev/fuse cannot be opened here (%1): the mount path is not tested")
            .arg(QString::fromLocal8Bit(strerror(errno)));
    ::close(device);
    if (run.exitCode == 1 && run.errorOutput.contains(QLatin1String("Cannot mount")) &&
        (run.errorOutput.contains(QLatin1String("fusermount3")) || run.errorOutput.contains(QLatin1String("fuse:"))))
        return QStringLiteral("FUSE cannot mount here: ") + run.errorOutput;
    return {};
}

QStringList TestAppImageRuntime::leftovers() const
{
    return QDir(m_temporary).entryList(QDir::AllEntries | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot);
}

// /proc/self/mountinfo writes a space in a mount point as \040.
bool TestAppImageRuntime::mountedUnder(const QString &folder) const
{
    QFile mountInfo(QStringLiteral("/proc/self/mountinfo"));
    if (!mountInfo.open(QIODevice::ReadOnly))
        return false;
    QByteArray escaped = QFile::encodeName(folder);
    escaped.replace(' ', "\\040");
    return mountInfo.readAll().contains(escaped + '/');
}

void TestAppImageRuntime::startsWithTheTypeTwoMagic()
{
    QFile image(m_image);
    QVERIFY(image.open(QIODevice::ReadOnly));
    const QByteArray head = image.read(16);
    QCOMPARE(head.left(4), QByteArray("\x7f" "ELF"));
    QCOMPARE(head.mid(8, 3), QByteArray("AI\x02", 3));
}

void TestAppImageRuntime::reservesTheSignatureAndUpdateSections()
{
    QFile image(m_image);
    QVERIFY(image.open(QIODevice::ReadOnly));
    const QByteArray bytes = image.readAll();
    Elf64_Ehdr header;
    QVERIFY(size_t(bytes.size()) > sizeof header);
    memcpy(&header, bytes.constData(), sizeof header);
    QCOMPARE(header.e_ident[EI_CLASS], ELFCLASS64);
    QVERIFY(header.e_shoff + header.e_shnum * sizeof(Elf64_Shdr) <= size_t(bytes.size()));
    const auto section = [&](size_t index) {
        Elf64_Shdr entry;
        memcpy(&entry, bytes.constData() + header.e_shoff + index * sizeof entry, sizeof entry);
        return entry;
    };
    const Elf64_Shdr names = section(header.e_shstrndx);
    QHash<QByteArray, Elf64_Shdr> sections;
    for (size_t i = 0; i < header.e_shnum; ++i) {
        const Elf64_Shdr entry = section(i);
        sections.insert(QByteArray(bytes.constData() + names.sh_offset + entry.sh_name), entry);
    }
    // PROGBITS: the bytes are in the file, for tools to write the signature and update information into.
    const std::pair<const char *, int> reserved[] = {{".upd_info", 1024}, {".sha256_sig", 1024}, {".sig_key", 8192}};
    for (const auto &[name, size] : reserved) {
        QVERIFY2(sections.contains(name), name);
        QCOMPARE(sections[name].sh_type, Elf64_Word(SHT_PROGBITS));
        QCOMPARE(sections[name].sh_size, Elf64_Xword(size));
        QCOMPARE(bytes.mid(qsizetype(sections[name].sh_offset), size), QByteArray(size, '\0'));
    }
}

void TestAppImageRuntime::printsWhereTheImageStarts()
{
    const Run result = run({QStringLiteral("--appimage-offset")});
    QCOMPARE(result.exitCode, 0);
    QCOMPARE(result.output, QStringList{QString::number(QFileInfo(QStringLiteral(LATENT_APPIMAGE_RUNTIME)).size())});
}

void TestAppImageRuntime::extractsEverything()
{
    const Run result = run({QStringLiteral("--appimage-extract")});
    QVERIFY2(result.exitCode == 0, qPrintable(result.errorOutput));
    const QString extracted = m_workingDir + QStringLiteral("/squashfs-root");
    QVERIFY(QFileInfo(extracted + QStringLiteral("/AppRun")).isExecutable());
    QVERIFY(QFileInfo(extracted + QStringLiteral("/usr/bin/tool")).isExecutable());
    QFile data(extracted + QStringLiteral("/usr/share/数据 ü.txt"));
    QVERIFY(data.open(QIODevice::ReadOnly));
    QCOMPARE(data.readAll(), QByteArray(dataText));
    QCOMPARE(QFileInfo(extracted + QStringLiteral("/tool-link")).symLinkTarget(), extracted + QStringLiteral("/usr/bin/tool"));
    QVERIFY(leftovers().isEmpty());
}

void TestAppImageRuntime::extractsOnlyWhatThePatternMatches_data()
{
    QTest::addColumn<QString>("pattern");
    QTest::addColumn<QStringList>("files"); // every file and link extracted, relative to squashfs-root
    QTest::newRow("top-level files") << QStringLiteral("*.desktop") << QStringList{QStringLiteral("latent.desktop")};
    QTest::newRow("a folder's contents") << QStringLiteral("usr/share/*") << QStringList{QStringLiteral("usr/share/数据 ü.txt")};
    QTest::newRow("a whole folder") << QStringLiteral("usr")
                                    << QStringList{QStringLiteral("usr/bin/tool"), QStringLiteral("usr/share/数据 ü.txt")};
}

void TestAppImageRuntime::extractsOnlyWhatThePatternMatches()
{
    QFETCH(QString, pattern);
    QFETCH(QStringList, files);
    const Run result = run({QStringLiteral("--appimage-extract"), pattern});
    QVERIFY2(result.exitCode == 0, qPrintable(result.errorOutput));
    const QDir extracted(m_workingDir + QStringLiteral("/squashfs-root"));
    QStringList found;
    QDirIterator entries(extracted.path(), QDir::Files | QDir::System | QDir::NoDotAndDotDot, QDirIterator::Subdirectories);
    while (entries.hasNext())
        found << extracted.relativeFilePath(entries.next());
    found.sort();
    QCOMPARE(found, files);
}

void TestAppImageRuntime::runsAppRunWithItsEnvironment_data()
{
    QTest::addColumn<QStringList>("options");
    QTest::addColumn<QStringList>("environment");
    QTest::addColumn<QString>("appDirKind"); // the temporary folder's name starts with it
    QTest::newRow("--appimage-extract-and-run")
        << QStringList{QStringLiteral("--appimage-extract-and-run")} << QStringList{} << QStringLiteral("appimage_extracted_");
    QTest::newRow("APPIMAGE_EXTRACT_AND_RUN=1")
        << QStringList{} << QStringList{QStringLiteral("APPIMAGE_EXTRACT_AND_RUN=1")} << QStringLiteral("appimage_extracted_");
    QTest::newRow("FUSE mount") << QStringList{} << QStringList{} << QStringLiteral(".mount_");
}

void TestAppImageRuntime::runsAppRunWithItsEnvironment()
{
    QFETCH(QStringList, options);
    QFETCH(QStringList, environment);
    QFETCH(QString, appDirKind);
    const QStringList arguments{QStringLiteral("two words"), QStringLiteral("ü 空"), QStringLiteral("--flag")};
    const Run result = run(options + arguments, environment + QStringList{QStringLiteral("APP_EXIT_STATUS=7")});
    if (appDirKind == QLatin1String(".mount_")) {
        const QString reason = whyFuseCannotRun(result);
        if (!reason.isEmpty())
            QSKIP(qPrintable(reason));
    }

    QVERIFY2(result.exitStatus == QProcess::NormalExit, qPrintable(result.errorOutput));
    QCOMPARE(result.exitCode, 7);
    QCOMPARE(result.value(QStringLiteral("APPIMAGE")), QFileInfo(m_image).canonicalFilePath());
    QCOMPARE(result.value(QStringLiteral("ARGV0")), m_image);
    QCOMPARE(result.value(QStringLiteral("OWD")), QFileInfo(m_workingDir).canonicalFilePath());
    const QString appDir = result.value(QStringLiteral("APPDIR"));
    QVERIFY2(appDir.startsWith(m_temporary + QLatin1Char('/') + appDirKind), qPrintable(appDir));
    QCOMPARE(result.values(QStringLiteral("ARG")), arguments);
    QCOMPARE(result.value(QStringLiteral("DATA")), QString::fromUtf8(dataText));
    QVERIFY2(leftovers().isEmpty(), qPrintable(leftovers().join(QLatin1Char(' '))));
    QVERIFY(!mountedUnder(m_temporary));
}

void TestAppImageRuntime::passesSignalsAndCleansUp_data()
{
    QTest::addColumn<QStringList>("options");
    QTest::newRow("extract-and-run") << QStringList{QStringLiteral("--appimage-extract-and-run")};
    QTest::newRow("FUSE mount") << QStringList{};
}

// SIGTERM sent to the runtime alone reaches AppRun; the runtime removes its folder or mount and
// then ends the way AppRun did, of the signal.
void TestAppImageRuntime::passesSignalsAndCleansUp()
{
    QFETCH(QStringList, options);
    const QString marker = m_workingDir + QStringLiteral("/started");
    QProcess process;
    process.setProcessEnvironment(runtimeEnvironment());
    process.setWorkingDirectory(m_workingDir);
    process.start(m_image, options + QStringList{QStringLiteral("wait"), marker});
    QVERIFY(process.waitForStarted());
    QTRY_VERIFY_WITH_TIMEOUT(QFile::exists(marker) || process.state() == QProcess::NotRunning, 60000);
    if (options.isEmpty() && !QFile::exists(marker)) {
        Run failed;
        failed.exitCode = process.exitCode();
        failed.errorOutput = QString::fromUtf8(process.readAllStandardError());
        const QString reason = whyFuseCannotRun(failed);
        if (!reason.isEmpty())
            QSKIP(qPrintable(reason));
    }
    QVERIFY2(QFile::exists(marker), process.readAllStandardError().constData());
    QVERIFY(!leftovers().isEmpty());

    process.terminate();
    QVERIFY(process.waitForFinished(60000));
    QCOMPARE(process.exitStatus(), QProcess::CrashExit);
    QVERIFY2(leftovers().isEmpty(), qPrintable(leftovers().join(QLatin1Char(' '))));
    QVERIFY(!mountedUnder(m_temporary));
}

// --appimage-mount: the mount point it prints holds the AppDir until the runtime is told to stop.
void TestAppImageRuntime::mountsUntilStopped()
{
    QProcess process;
    process.setProcessEnvironment(runtimeEnvironment());
    process.setWorkingDirectory(m_workingDir);
    process.start(m_image, {QStringLiteral("--appimage-mount")});
    QVERIFY(process.waitForStarted());
    QTRY_VERIFY_WITH_TIMEOUT(process.canReadLine() || process.state() == QProcess::NotRunning, 60000);
    if (!process.canReadLine()) {
        Run failed;
        failed.exitCode = process.exitCode();
        failed.errorOutput = QString::fromUtf8(process.readAllStandardError());
        const QString reason = whyFuseCannotRun(failed);
        if (!reason.isEmpty())
            QSKIP(qPrintable(reason));
    }
    const QString mountPoint = QString::fromUtf8(process.readLine()).trimmed();
    QVERIFY2(mountPoint.startsWith(m_temporary + QStringLiteral("/.mount_")), qPrintable(mountPoint));
    QVERIFY(QFileInfo(mountPoint + QStringLiteral("/AppRun")).isExecutable());
    QVERIFY(mountedUnder(m_temporary));

    process.terminate();
    QVERIFY(process.waitForFinished(60000));
    QCOMPARE(process.exitStatus(), QProcess::NormalExit);
    QCOMPARE(process.exitCode(), 0);
    QVERIFY(!mountedUnder(m_temporary));
    QVERIFY(leftovers().isEmpty());
}

QTEST_GUILESS_MAIN(TestAppImageRuntime)
#include "test_appimage_runtime.moc"
