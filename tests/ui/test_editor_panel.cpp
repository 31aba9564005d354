// The editor panel over the real editor component (ScintillaEditor): files opened, saved and
// closed without losing work, changes on disk, recent files, the state kept between runs, the
// file tree's filter and the find bar. The panel's questions are answered by the test
// (EditorDialogs), so no modal dialog ever waits.

#include "tests/ui/test_settings.h"
#include "ui/editor/editor_panel.h"
#include "ui/editor/file_tree.h"
#include "ui/editor/find_bar.h"
#include "ui/editor/recent_files.h"
#include "ui/editor/scintilla_editor.h"

#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QDir>
#include <QFile>
#include <QLineEdit>
#include <QSaveFile>
#include <QSettings>
#include <QSignalSpy>
#include <QSplitter>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace latent::ui;

namespace {

// Answers the panel's questions from queues the test fills, and records what was asked. A
// question with no answer queued is recorded as unexpected and answered with the safe choice.
struct ScriptedDialogs {
    QList<SaveChoice> saveAnswers;
    QList<ReloadChoice> reloadAnswers;
    QStringList savePaths;
    QStringList askedToSave;   // file names
    QStringList askedToReload; // file names
    QStringList warnings;      // messages
    QStringList unexpected;
    std::optional<int> line;

    EditorDialogs dialogs()
    {
        EditorDialogs dialogs;
        dialogs.askSaveChanges = [this](const QString& name) {
            askedToSave.append(name);
            if (saveAnswers.isEmpty()) {
                unexpected.append(QStringLiteral("save ") + name);
                return SaveChoice::Cancel;
            }
            return saveAnswers.takeFirst();
        };
        dialogs.askReloadChanged = [this](const QString& name) {
            askedToReload.append(name);
            if (reloadAnswers.isEmpty()) {
                unexpected.append(QStringLiteral("reload ") + name);
                return ReloadChoice::KeepMine;
            }
            return reloadAnswers.takeFirst();
        };
        dialogs.warn = [this](const QString&, const QString& message) { warnings.append(message); };
        dialogs.chooseSavePath = [this](const QString&) {
            if (savePaths.isEmpty()) {
                unexpected.append(QStringLiteral("save path"));
                return QString();
            }
            return savePaths.takeFirst();
        };
        dialogs.chooseFilesToOpen = [this](const QString&) {
            unexpected.append(QStringLiteral("open files"));
            return QStringList();
        };
        dialogs.chooseFolder = [this](const QString&) {
            unexpected.append(QStringLiteral("folder"));
            return QString();
        };
        dialogs.chooseLine = [this](int, int) { return line; };
        return dialogs;
    }
};

QByteArray readFile(const QString& path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

void writeFile(const QString& path, const QByteArray& bytes)
{
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    QCOMPARE(file.write(bytes), bytes.size());
}

// As most editors save: a temporary file renamed over the old one.
void writeFileAtomically(const QString& path, const QByteArray& bytes)
{
    QSaveFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(bytes);
    QVERIFY(file.commit());
}

int tabIndexOf(EditorPanel& panel, CodeEditor* editor)
{
    return panel.tabs()->indexOf(editor->widget());
}

QString tabText(EditorPanel& panel, CodeEditor* editor)
{
    return panel.tabs()->tabText(tabIndexOf(panel, editor));
}

// The names the tree shows directly under its root, in its order.
QStringList shownNames(FileTree& tree)
{
    QStringList names;
    const QModelIndex root = tree.rootIndex();
    for (int row = 0; row < tree.model()->rowCount(root); ++row)
        names.append(tree.model()->index(row, 0, root).data().toString());
    return names;
}

} // namespace

class TestEditorPanel : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();

    void newOpenSaveAndSaveAsWriteTheFiles();
    void openingAnOpenFileSwitchesToItsTab();
    void modifiedMarkerComesWithAnEditAndGoesOnSave();
    void closingAModifiedTabAsks();
    void closeAllAndMaybeSaveAllStopWhenCancelled();
    void failedOpenAndSaveWarnAndLoseNothing();
    void recentFilesAreOrderedLimitedAndKept();
    void unmodifiedFileChangedOnDiskReloads();
    void modifiedFileChangedOnDiskAsks();
    void ownSavesAreNotChangesOnDisk();
    void fileDeletedOnDiskIsMarkedAndSavedAgain();
    void stateRestoresIntoAFreshPanel();
    void fileTreeHidesWhatIsNotEdited();
    void fileTreeOpensTheActivatedFile();
    void findBarFindsWithItsOptions();
    void findBarReplacesAndReports();
    void findBarKeys();
    void actionsApplyOnlyWithAnEditor();
    void shortcutsActWhileTheFocusIsInThePanel();
    void goToLineAndUntitledNumbers();
    void signalsAnnounceOpenedAndCurrentEditors();

private:
    std::unique_ptr<EditorPanel> makePanel();
    QString path(const QString& name) const { return dir_->filePath(name); }
    QString makeFile(const QString& name, const QByteArray& bytes);

    std::unique_ptr<QTemporaryDir> dir_;
    ScriptedDialogs script_;
};

void TestEditorPanel::initTestCase()
{
    useTestSettings("test_editor_panel");
}

void TestEditorPanel::init()
{
    dir_ = std::make_unique<QTemporaryDir>();
    QVERIFY(dir_->isValid());
    script_ = ScriptedDialogs();
    clearRecentFiles();
}

void TestEditorPanel::cleanup()
{
    QVERIFY2(script_.unexpected.isEmpty(), qPrintable(script_.unexpected.join(QStringLiteral(", "))));
    dir_.reset();
}

std::unique_ptr<EditorPanel> TestEditorPanel::makePanel()
{
    auto panel = std::make_unique<EditorPanel>([](QWidget* parent) { return new ScintillaEditor(parent); });
    panel->setDialogs(script_.dialogs());
    panel->resize(900, 600);
    return panel;
}

QString TestEditorPanel::makeFile(const QString& name, const QByteArray& bytes)
{
    const QString filePath = path(name);
    QDir().mkpath(QFileInfo(filePath).path());
    writeFile(filePath, bytes);
    return filePath;
}

void TestEditorPanel::newOpenSaveAndSaveAsWriteTheFiles()
{
    auto panel = makePanel();
    CodeEditor* editor = panel->newFile();
    QCOMPARE(tabText(*panel, editor), QStringLiteral("Untitled 1"));
    editor->insertAtCursor(QStringLiteral("print('hi')\n"));
    QVERIFY(editor->isModified());

    // Save of a file never saved asks where.
    script_.savePaths = {path(QStringLiteral("first.txt"))};
    QVERIFY(panel->save(editor));
    QCOMPARE(readFile(path(QStringLiteral("first.txt"))), QByteArray("print('hi')\n"));
    QCOMPARE(editor->filePath(), path(QStringLiteral("first.txt")));
    QCOMPARE(tabText(*panel, editor), QStringLiteral("first.txt"));
    QVERIFY(!editor->isModified());

    // Save again goes to the same file without asking.
    editor->insertAtCursor(QStringLiteral("# more\n"));
    QVERIFY(panel->save(editor));
    QCOMPARE(readFile(path(QStringLiteral("first.txt"))), QByteArray("print('hi')\n# more\n"));

    // Save As writes the new file, leaves the old one, and colours by the new name.
    script_.savePaths = {path(QStringLiteral("second.py"))};
    QVERIFY(panel->saveAs(editor));
    QCOMPARE(readFile(path(QStringLiteral("second.py"))), QByteArray("print('hi')\n# more\n"));
    QCOMPARE(editor->filePath(), path(QStringLiteral("second.py")));
    QCOMPARE(editor->languageId(), QStringLiteral("python"));
    QCOMPARE(tabText(*panel, editor), QStringLiteral("second.py"));

    // The written file opens in a tab of its own with the same text.
    CodeEditor* reopened = panel->openFile(path(QStringLiteral("first.txt")));
    QVERIFY(reopened && reopened != editor);
    QCOMPARE(reopened->text(), QStringLiteral("print('hi')\n# more\n"));
    QCOMPARE(panel->editors(), (QList<CodeEditor*>{editor, reopened}));
    QCOMPARE(panel->currentEditor(), reopened);

    // A cancelled Save As changes nothing.
    script_.savePaths = {QString()};
    reopened->insertAtCursor(QStringLiteral("x"));
    QVERIFY(!panel->saveAs(reopened));
    QVERIFY(reopened->isModified());
    QCOMPARE(reopened->filePath(), path(QStringLiteral("first.txt")));
}

void TestEditorPanel::openingAnOpenFileSwitchesToItsTab()
{
    const QString a = makeFile(QStringLiteral("a.cpp"), "int a;\n");
    const QString b = makeFile(QStringLiteral("b.cpp"), "int b;\n");
    auto panel = makePanel();
    CodeEditor* editorA = panel->openFile(a);
    CodeEditor* editorB = panel->openFile(b);
    QCOMPARE(panel->currentEditor(), editorB);

    QCOMPARE(panel->openFile(a), editorA);
    QCOMPARE(panel->currentEditor(), editorA);
    QCOMPARE(panel->tabs()->count(), 2);
    // Another spelling of the same path is the same file.
    QCOMPARE(panel->openFile(dir_->path() + QStringLiteral("/./sub/../b.cpp")), editorB);
    QCOMPARE(panel->tabs()->count(), 2);
    QCOMPARE(panel->tabs()->tabToolTip(tabIndexOf(*panel, editorA)), QDir::toNativeSeparators(a));

    // Two files of the same name say their folders.
    const QString other = makeFile(QStringLiteral("other/a.cpp"), "int other;\n");
    CodeEditor* otherA = panel->openFile(other);
    QCOMPARE(tabText(*panel, otherA), QStringLiteral("a.cpp — other"));
    QVERIFY(tabText(*panel, editorA).startsWith(QStringLiteral("a.cpp — ")));
    QVERIFY(panel->closeEditor(otherA));
    QCOMPARE(tabText(*panel, editorA), QStringLiteral("a.cpp"));
}

void TestEditorPanel::modifiedMarkerComesWithAnEditAndGoesOnSave()
{
    const QString a = makeFile(QStringLiteral("a.txt"), "alpha\n");
    auto panel = makePanel();
    CodeEditor* editor = panel->openFile(a);
    QCOMPARE(tabText(*panel, editor), QStringLiteral("a.txt"));
    QVERIFY(!panel->action(EditorAction::Save)->isEnabled());
    QVERIFY(!panel->action(EditorAction::SaveAll)->isEnabled());

    editor->insertAtCursor(QStringLiteral("beta "));
    QCOMPARE(tabText(*panel, editor), QStringLiteral("a.txt ●"));
    QVERIFY(panel->action(EditorAction::Save)->isEnabled());
    QVERIFY(panel->action(EditorAction::SaveAll)->isEnabled());

    panel->action(EditorAction::Save)->trigger();
    QCOMPARE(tabText(*panel, editor), QStringLiteral("a.txt"));
    QCOMPARE(readFile(a), QByteArray("beta alpha\n"));
    QVERIFY(!panel->action(EditorAction::Save)->isEnabled());

    // Undoing back to the saved text is unmodified again.
    editor->insertAtCursor(QStringLiteral("gamma "));
    QVERIFY(tabText(*panel, editor).endsWith(QStringLiteral("●")));
    editor->undo();
    QCOMPARE(tabText(*panel, editor), QStringLiteral("a.txt"));
}

void TestEditorPanel::closingAModifiedTabAsks()
{
    const QString a = makeFile(QStringLiteral("a.txt"), "alpha\n");
    auto panel = makePanel();
    CodeEditor* editor = panel->openFile(a);

    // Unmodified: closes without a word.
    QVERIFY(panel->closeEditor(editor));
    QVERIFY(script_.askedToSave.isEmpty());
    QVERIFY(panel->editors().isEmpty());

    // Cancel keeps the tab and the changes.
    editor = panel->openFile(a);
    editor->insertAtCursor(QStringLiteral("changed "));
    script_.saveAnswers = {SaveChoice::Cancel};
    panel->action(EditorAction::Close)->trigger();
    QCOMPARE(script_.askedToSave, QStringList{QStringLiteral("a.txt")});
    QCOMPARE(panel->editors(), QList<CodeEditor*>{editor});
    QCOMPARE(editor->text(), QStringLiteral("changed alpha\n"));

    // Discard closes, and the file keeps what it had.
    script_.saveAnswers = {SaveChoice::Discard};
    QVERIFY(panel->closeEditor(editor));
    QVERIFY(panel->editors().isEmpty());
    QCOMPARE(readFile(a), QByteArray("alpha\n"));

    // Save saves, then closes.
    editor = panel->openFile(a);
    editor->insertAtCursor(QStringLiteral("kept "));
    script_.saveAnswers = {SaveChoice::Save};
    QVERIFY(panel->closeEditor(editor));
    QVERIFY(panel->editors().isEmpty());
    QCOMPARE(readFile(a), QByteArray("kept alpha\n"));

    // Save of a new file asks where; cancelling that keeps the tab.
    CodeEditor* untitled = panel->newFile();
    untitled->insertAtCursor(QStringLiteral("draft"));
    script_.saveAnswers = {SaveChoice::Save};
    script_.savePaths = {QString()};
    QVERIFY(!panel->closeEditor(untitled));
    QCOMPARE(panel->editors(), QList<CodeEditor*>{untitled});
    QCOMPARE(script_.askedToSave.last(), QStringLiteral("Untitled 1"));
}

void TestEditorPanel::closeAllAndMaybeSaveAllStopWhenCancelled()
{
    const QString a = makeFile(QStringLiteral("a.txt"), "alpha\n");
    const QString b = makeFile(QStringLiteral("b.txt"), "beta\n");
    const QString c = makeFile(QStringLiteral("c.txt"), "gamma\n");
    auto panel = makePanel();
    CodeEditor* editorA = panel->openFile(a);
    CodeEditor* editorB = panel->openFile(b);
    CodeEditor* editorC = panel->openFile(c);
    editorA->insertAtCursor(QStringLiteral("1"));
    editorC->insertAtCursor(QStringLiteral("3"));

    // Asked about the modified files only, in tab order; Cancel on the second closes nothing.
    script_.saveAnswers = {SaveChoice::Discard, SaveChoice::Cancel};
    QVERIFY(!panel->closeAll());
    QCOMPARE(script_.askedToSave, (QStringList{QStringLiteral("a.txt"), QStringLiteral("c.txt")}));
    QCOMPARE(panel->editors(), (QList<CodeEditor*>{editorA, editorB, editorC}));
    QVERIFY(editorA->isModified());
    QCOMPARE(panel->currentEditor(), editorC); // the file asked about is shown

    // What the main window calls at close: Save writes, Discard leaves the file.
    script_.askedToSave.clear();
    script_.saveAnswers = {SaveChoice::Save, SaveChoice::Discard};
    QVERIFY(panel->maybeSaveAll());
    QCOMPARE(readFile(a), QByteArray("1alpha\n"));
    QCOMPARE(readFile(c), QByteArray("gamma\n"));
    QCOMPARE(panel->editors().size(), 3);

    script_.saveAnswers = {SaveChoice::Discard};
    panel->action(EditorAction::CloseAll)->trigger();
    QVERIFY(panel->editors().isEmpty());
    QCOMPARE(panel->currentEditor(), nullptr);
}

void TestEditorPanel::failedOpenAndSaveWarnAndLoseNothing()
{
    auto panel = makePanel();
    QCOMPARE(panel->openFile(path(QStringLiteral("missing.txt"))), nullptr);
    QCOMPARE(script_.warnings.size(), 1);
    QVERIFY2(script_.warnings[0].contains(QStringLiteral("missing.txt")), qPrintable(script_.warnings[0]));
    QVERIFY(panel->editors().isEmpty());

    CodeEditor* editor = panel->newFile();
    editor->insertAtCursor(QStringLiteral("precious"));
    script_.savePaths = {path(QStringLiteral("no/such/folder/file.txt"))};
    QVERIFY(!panel->save(editor));
    QCOMPARE(script_.warnings.size(), 2);
    QVERIFY2(script_.warnings[1].contains(QStringLiteral("file.txt")), qPrintable(script_.warnings[1]));
    QVERIFY(editor->isModified());
    QCOMPARE(editor->text(), QStringLiteral("precious"));
    QCOMPARE(tabText(*panel, editor), QStringLiteral("Untitled 1 ●"));
}

void TestEditorPanel::recentFilesAreOrderedLimitedAndKept()
{
    auto panel = makePanel();
    QStringList opened;
    for (int i = 0; i < 12; ++i) {
        opened.prepend(makeFile(QStringLiteral("file%1.txt").arg(i), "x\n"));
        QVERIFY(panel->openFile(opened.first()));
    }
    QCOMPARE(panel->recentFiles(), opened.mid(0, maxRecentFiles));

    // Opening one again moves it to the front.
    panel->openFile(opened[5]);
    QStringList expected = opened.mid(0, maxRecentFiles);
    expected.move(5, 0);
    QCOMPARE(panel->recentFiles(), expected);

    // Kept in the settings for the next run, without files gone since.
    QVERIFY(QFile::remove(expected[1]));
    expected.removeAt(1);
    auto nextRun = makePanel();
    QCOMPARE(nextRun->recentFiles(), expected);

    // Saving under a new name counts as well.
    CodeEditor* editor = nextRun->newFile();
    script_.savePaths = {path(QStringLiteral("saved.txt"))};
    QVERIFY(nextRun->save(editor));
    QCOMPARE(nextRun->recentFiles().first(), path(QStringLiteral("saved.txt")));
}

void TestEditorPanel::unmodifiedFileChangedOnDiskReloads()
{
    const QString a = makeFile(QStringLiteral("a.txt"), "one\ntwo\nthree\n");
    auto panel = makePanel();
    CodeEditor* editor = panel->openFile(a);
    editor->goToLine(1);
    editor->setCursorOffset(editor->cursorOffset() + 2);

    writeFile(a, "one\nTWO!\nthree\nfour\n");
    QTRY_COMPARE(editor->text(), QStringLiteral("one\nTWO!\nthree\nfour\n"));
    QVERIFY(!editor->isModified());
    QCOMPARE(editor->cursorLine(), 1);
    QCOMPARE(editor->cursorColumn(), 2);

    // An atomic save by another program ends the system's watch on the old file: it is watched
    // again, so a second change reloads as well.
    writeFileAtomically(a, "replaced\n");
    QTRY_COMPARE(editor->text(), QStringLiteral("replaced\n"));
    writeFileAtomically(a, "again\n");
    QTRY_COMPARE(editor->text(), QStringLiteral("again\n"));
    QVERIFY(script_.askedToReload.isEmpty());
}

void TestEditorPanel::modifiedFileChangedOnDiskAsks()
{
    const QString a = makeFile(QStringLiteral("a.txt"), "original\n");
    auto panel = makePanel();
    CodeEditor* editor = panel->openFile(a);
    editor->insertAtCursor(QStringLiteral("mine "));

    // Keep mine: the text stays, still unsaved.
    script_.reloadAnswers = {ReloadChoice::KeepMine};
    writeFile(a, "theirs\n");
    QTRY_COMPARE(script_.askedToReload, QStringList{QStringLiteral("a.txt")});
    QCOMPARE(editor->text(), QStringLiteral("mine original\n"));
    QVERIFY(editor->isModified());

    // Reload: the file's text replaces ours.
    script_.reloadAnswers = {ReloadChoice::Reload};
    writeFileAtomically(a, "theirs again\n");
    QTRY_COMPARE(script_.askedToReload.size(), 2);
    QCOMPARE(editor->text(), QStringLiteral("theirs again\n"));
    QVERIFY(!editor->isModified());
    QCOMPARE(tabText(*panel, editor), QStringLiteral("a.txt"));
}

void TestEditorPanel::ownSavesAreNotChangesOnDisk()
{
    const QString a = makeFile(QStringLiteral("a.txt"), "text\n");
    auto panel = makePanel();
    CodeEditor* editor = panel->openFile(a);
    for (int i = 0; i < 3; ++i) {
        editor->insertAtCursor(QStringLiteral("edit "));
        QVERIFY(panel->save(editor));
        // Modified again at once: a save taken for a change on disk would ask now.
        editor->insertAtCursor(QStringLiteral("more "));
        QTest::qWait(400);
        QVERIFY(panel->save(editor));
    }
    QTest::qWait(400);
    QVERIFY(script_.askedToReload.isEmpty());
    // And changes by others are still seen after our saves.
    writeFile(a, "outside\n");
    QTRY_COMPARE(editor->text(), QStringLiteral("outside\n"));
}

void TestEditorPanel::fileDeletedOnDiskIsMarkedAndSavedAgain()
{
    const QString a = makeFile(QStringLiteral("a.txt"), "keep me\n");
    auto panel = makePanel();
    CodeEditor* editor = panel->openFile(a);
    QVERIFY(!panel->action(EditorAction::Save)->isEnabled());

    QVERIFY(QFile::remove(a));
    QTRY_VERIFY(panel->isRemovedFromDisk(editor));
    QCOMPARE(tabText(*panel, editor), QStringLiteral("a.txt (deleted)"));
    QCOMPARE(editor->text(), QStringLiteral("keep me\n"));
    QVERIFY(panel->action(EditorAction::Save)->isEnabled());

    QVERIFY(panel->save(editor));
    QCOMPARE(readFile(a), QByteArray("keep me\n"));
    QVERIFY(!panel->isRemovedFromDisk(editor));
    QCOMPARE(tabText(*panel, editor), QStringLiteral("a.txt"));

    // Watched again once written: deleted and put back as it was, the mark comes and goes.
    QVERIFY(QFile::remove(a));
    QTRY_VERIFY(panel->isRemovedFromDisk(editor));
    writeFile(a, "keep me\n");
    QTRY_VERIFY(!panel->isRemovedFromDisk(editor));
    QCOMPARE(tabText(*panel, editor), QStringLiteral("a.txt"));
    QVERIFY(script_.askedToReload.isEmpty());
}

void TestEditorPanel::stateRestoresIntoAFreshPanel()
{
    const QString a = makeFile(QStringLiteral("src/a.cpp"), "int a = 1;\nint aa = 2;\n");
    const QString b = makeFile(QStringLiteral("src/b.cpp"), "int b = 1;\n");
    const QString c = makeFile(QStringLiteral("src/c.cpp"), "int c = 1;\n");
    QSettings settings(path(QStringLiteral("state.ini")), QSettings::IniFormat);
    {
        auto panel = makePanel();
        panel->show();
        CodeEditor* editorA = panel->openFile(a);
        CodeEditor* editorB = panel->openFile(b);
        panel->openFile(c);
        panel->newFile()->insertAtCursor(QStringLiteral("not kept"));
        editorA->setCursorOffset(14);
        editorB->setCursorOffset(4);
        panel->tabs()->tabBar()->moveTab(0, 1); // b, a, c, Untitled 1
        panel->setCurrentEditor(editorA);
        panel->openFolder(path(QStringLiteral("src")));
        panel->splitter()->setSizes({300, 600});
        panel->action(EditorAction::ZoomIn)->trigger();
        panel->saveState(settings);
        script_.saveAnswers = {SaveChoice::Discard};
        QVERIFY(panel->closeAll());
    }
    QVERIFY(QFile::remove(c));

    auto panel = makePanel();
    panel->show();
    panel->restoreState(settings);
    const QList<CodeEditor*> editors = panel->editors();
    QCOMPARE(editors.size(), 2);
    QCOMPARE(editors[0]->filePath(), b);
    QCOMPARE(editors[1]->filePath(), a);
    QCOMPARE(panel->currentEditor(), editors[1]);
    QCOMPARE(editors[1]->cursorOffset(), 14);
    QCOMPARE(editors[0]->cursorOffset(), 4);
    QCOMPARE(panel->folder(), path(QStringLiteral("src")));
    QVERIFY(!panel->fileTree()->isHidden());
    QCOMPARE(panel->splitter()->sizes().value(0), 300);
    QVERIFY(script_.warnings.isEmpty()); // the deleted file was skipped without a word
    // Restoring is not opening: the recent files stay as they were.
    QCOMPARE(panel->recentFiles(), (QStringList{b, a}));
}

void TestEditorPanel::fileTreeHidesWhatIsNotEdited()
{
    for (const char* folder : {".git", "build", "build-release", "cmake-build-debug", "node_modules", "__pycache__",
                               "target", "dist", "out", ".venv", "venv", ".cache", "src", "docs"})
        QVERIFY(QDir(dir_->path()).mkpath(QString::fromLatin1(folder)));
    for (const char* file : {"main.cpp", "CMakeLists.txt", "README.md", ".clang-format", ".hidden", "build.sh",
                             "file10.txt", "file2.txt"})
        makeFile(QString::fromLatin1(file), "x\n");

    FileTree tree;
    tree.resize(300, 600);
    tree.show();
    tree.setRootFolder(dir_->path());
    const QStringList expected = {QStringLiteral("docs"),       QStringLiteral("src"),       QStringLiteral("build.sh"),
                                  QStringLiteral("CMakeLists.txt"), QStringLiteral("file2.txt"), QStringLiteral("file10.txt"),
                                  QStringLiteral("main.cpp"),   QStringLiteral("README.md")};
    QTRY_COMPARE(shownNames(tree), expected);

    // By name alone, as documented: a file named like an ignored folder stays.
    QVERIFY(SourceTreeFilter::isHidden(QStringLiteral("build"), true));
    QVERIFY(!SourceTreeFilter::isHidden(QStringLiteral("build"), false));
    QVERIFY(!SourceTreeFilter::isHidden(QStringLiteral("builder"), true));
    QVERIFY(SourceTreeFilter::isHidden(QStringLiteral(".env"), false));

    // A root inside an ignored folder still shows its files.
    makeFile(QStringLiteral("build/generated.cpp"), "x\n");
    tree.setRootFolder(path(QStringLiteral("build")));
    QTRY_COMPARE(shownNames(tree), QStringList{QStringLiteral("generated.cpp")});
}

void TestEditorPanel::fileTreeOpensTheActivatedFile()
{
    const QString main = makeFile(QStringLiteral("main.cpp"), "int main() {}\n");
    auto panel = makePanel();
    panel->show();
    panel->openFolder(dir_->path());
    FileTree* tree = panel->fileTree();
    QTRY_COMPARE(shownNames(*tree), QStringList{QStringLiteral("main.cpp")});

    tree->setCurrentIndex(tree->model()->index(0, 0, tree->rootIndex()));
    QTest::keyClick(tree, Qt::Key_Return);
    QCOMPARE(panel->editors().size(), 1);
    QCOMPARE(panel->currentEditor()->filePath(), main);

    panel->closeFolder();
    QVERIFY(panel->fileTree()->isHidden());
    QVERIFY(panel->folder().isEmpty());
}

void TestEditorPanel::findBarFindsWithItsOptions()
{
    auto panel = makePanel();
    panel->show();
    CodeEditor* editor = panel->newFile();
    editor->setText(QStringLiteral("foo Foo food\nfoo_bar fo\n"));
    FindBar* bar = panel->findBar();
    QVERIFY(bar->isHidden());

    // Find opens the bar with the selection in its field.
    editor->setSelection(4, 7);
    panel->action(EditorAction::Find)->trigger();
    QVERIFY(!bar->isHidden());
    QCOMPARE(bar->findField()->text(), QStringLiteral("Foo"));
    QVERIFY(bar->replaceField()->isHidden());

    // Case ignored: every foo.
    editor->setCursorOffset(0);
    bar->findField()->setText(QStringLiteral("foo"));
    QVERIFY(bar->findNext());
    QCOMPARE(editor->selectionStart(), 0);
    QVERIFY(bar->findNext());
    QCOMPARE(editor->selectionStart(), 4);
    QVERIFY(bar->findNext());
    QCOMPARE(editor->selectionStart(), 8);
    QVERIFY(bar->findPrevious());
    QCOMPARE(editor->selectionStart(), 4);

    // Match case.
    bar->caseSensitiveBox()->setChecked(true);
    editor->setCursorOffset(0);
    bar->findField()->setText(QStringLiteral("Foo"));
    QVERIFY(bar->findNext());
    QCOMPARE(editor->selectionStart(), 4);
    QVERIFY(bar->findNext()); // wraps around to the only one
    QCOMPARE(editor->selectionStart(), 4);
    bar->caseSensitiveBox()->setChecked(false);

    // Whole word: not food, not foo_bar.
    bar->wholeWordBox()->setChecked(true);
    editor->setCursorOffset(5);
    bar->findField()->setText(QStringLiteral("foo"));
    QVERIFY(bar->findNext());
    QCOMPARE(editor->selectionStart(), 0); // wrapped past food and foo_bar
    bar->wholeWordBox()->setChecked(false);

    // Regular expression.
    bar->regularExpressionBox()->setChecked(true);
    editor->setCursorOffset(0);
    bar->findField()->setText(QStringLiteral("fo+d"));
    QVERIFY(bar->findNext());
    QCOMPARE(editor->selectionStart(), 8);
    QCOMPARE(editor->selectionEnd(), 12);
    bar->findField()->setText(QStringLiteral("(fo"));
    QVERIFY(!bar->findNext());
    QCOMPARE(bar->feedback(), QStringLiteral("Invalid regular expression"));
    bar->regularExpressionBox()->setChecked(false);

    bar->findField()->setText(QStringLiteral("zzz"));
    QVERIFY(!bar->findNext());
    QCOMPARE(bar->feedback(), QStringLiteral("No matches"));

    // Typing searches as you type, extending the match in place.
    editor->setCursorOffset(5);
    bar->findField()->clear();
    QTest::keyClicks(bar->findField(), QStringLiteral("fo"));
    QCOMPARE(editor->selectionStart(), 8);
    QTest::keyClicks(bar->findField(), QStringLiteral("o_"));
    QCOMPARE(editor->selectionStart(), 13);
    QCOMPARE(editor->selectedText(), QStringLiteral("foo_"));
}

void TestEditorPanel::findBarReplacesAndReports()
{
    auto panel = makePanel();
    panel->show();
    CodeEditor* editor = panel->newFile();
    editor->setText(QStringLiteral("foo Foo food\nfoo_bar\n"));
    FindBar* bar = panel->findBar();
    panel->action(EditorAction::Replace)->trigger();
    QVERIFY(!bar->replaceField()->isHidden());

    bar->findField()->setText(QStringLiteral("foo"));
    bar->replaceField()->setText(QStringLiteral("X"));
    bar->wholeWordBox()->setChecked(true);
    editor->setCursorOffset(0);
    QVERIFY(bar->findNext());
    QVERIFY(bar->replaceNext()); // replaces foo, finds Foo
    QCOMPARE(editor->text(), QStringLiteral("X Foo food\nfoo_bar\n"));
    QCOMPARE(editor->selectedText(), QStringLiteral("Foo"));

    bar->wholeWordBox()->setChecked(false);
    QCOMPARE(bar->replaceAll(), 3);
    QCOMPARE(editor->text(), QStringLiteral("X X Xd\nX_bar\n"));
    QCOMPARE(bar->feedback(), QStringLiteral("Replaced 3 matches"));
    QCOMPARE(bar->replaceAll(), 0);
    QCOMPARE(bar->feedback(), QStringLiteral("No matches"));

    // One undo step takes Replace All back.
    editor->undo();
    QCOMPARE(editor->text(), QStringLiteral("X Foo food\nfoo_bar\n"));
}

void TestEditorPanel::findBarKeys()
{
    auto panel = makePanel();
    panel->show();
    CodeEditor* editor = panel->newFile();
    editor->setText(QStringLiteral("ab ab ab\n"));
    FindBar* bar = panel->findBar();
    bar->showFind();
    bar->findField()->setText(QStringLiteral("ab"));
    editor->setCursorOffset(0);

    QTest::keyClick(bar->findField(), Qt::Key_Return);
    QCOMPARE(editor->selectionStart(), 0);
    QTest::keyClick(bar->findField(), Qt::Key_Return);
    QCOMPARE(editor->selectionStart(), 3);
    QTest::keyClick(bar->findField(), Qt::Key_Return, Qt::ShiftModifier);
    QCOMPARE(editor->selectionStart(), 0);

    QTest::keyClick(bar->findField(), Qt::Key_Escape);
    QVERIFY(bar->isHidden());
}

void TestEditorPanel::actionsApplyOnlyWithAnEditor()
{
    auto panel = makePanel();
    for (EditorAction which : {EditorAction::New, EditorAction::Open, EditorAction::OpenFolder})
        QVERIFY(panel->action(which)->isEnabled());
    for (EditorAction which :
         {EditorAction::Save, EditorAction::SaveAs, EditorAction::SaveAll, EditorAction::Close, EditorAction::CloseAll,
          EditorAction::Find, EditorAction::Replace, EditorAction::FindNext, EditorAction::FindPrevious,
          EditorAction::GoToLine, EditorAction::ZoomIn, EditorAction::ZoomOut, EditorAction::ResetZoom,
          EditorAction::CloseFolder})
        QVERIFY2(!panel->action(which)->isEnabled(), qPrintable(panel->action(which)->objectName()));

    // Standard shortcuts, acting while the focus is in the panel.
    QCOMPARE(panel->action(EditorAction::Save)->shortcut(), QKeySequence(QKeySequence::Save));
    QCOMPARE(panel->action(EditorAction::GoToLine)->shortcut(), QKeySequence(Qt::CTRL | Qt::Key_G));
    QVERIFY(panel->action(EditorAction::ZoomIn)->shortcuts().contains(QKeySequence(Qt::CTRL | Qt::Key_Equal)));
    QCOMPARE(panel->action(EditorAction::Find)->shortcutContext(), Qt::WidgetWithChildrenShortcut);

    panel->action(EditorAction::New)->trigger();
    for (EditorAction which : {EditorAction::Save, EditorAction::SaveAs, EditorAction::Close, EditorAction::CloseAll,
                               EditorAction::Find, EditorAction::GoToLine, EditorAction::ZoomIn})
        QVERIFY2(panel->action(which)->isEnabled(), qPrintable(panel->action(which)->objectName()));
    QVERIFY(!panel->action(EditorAction::SaveAll)->isEnabled()); // nothing typed yet

    panel->action(EditorAction::Close)->trigger();
    QVERIFY(!panel->action(EditorAction::Find)->isEnabled());
    QVERIFY(!panel->action(EditorAction::Close)->isEnabled());
}

void TestEditorPanel::shortcutsActWhileTheFocusIsInThePanel()
{
    auto panel = makePanel();
    panel->show();
    QVERIFY(QTest::qWaitForWindowActive(panel.get()));
    CodeEditor* editor = panel->newFile();
    editor->setText(QStringLiteral("one\ntwo\nthree\n"));
    editor->focus();
    QWidget* focused = QApplication::focusWidget();
    QVERIFY(focused == editor->widget() || editor->widget()->isAncestorOf(focused));

    script_.line = 2;
    QTest::keyClick(focused, Qt::Key_G, Qt::ControlModifier);
    QCOMPARE(editor->cursorLine(), 1);

    QTest::keyClick(focused, Qt::Key_F, Qt::ControlModifier);
    QVERIFY(!panel->findBar()->isHidden());
    QCOMPARE(QApplication::focusWidget(), panel->findBar()->findField());
    // Esc closes the bar and gives the focus back to the editor.
    QTest::keyClick(panel->findBar()->findField(), Qt::Key_Escape);
    QVERIFY(panel->findBar()->isHidden());
    QCOMPARE(QApplication::focusWidget(), focused);

    QTest::keyClick(focused, Qt::Key_N, Qt::ControlModifier);
    QCOMPARE(panel->editors().size(), 2);
}

void TestEditorPanel::goToLineAndUntitledNumbers()
{
    auto panel = makePanel();
    CodeEditor* first = panel->newFile();
    CodeEditor* second = panel->newFile();
    QCOMPARE(tabText(*panel, second), QStringLiteral("Untitled 2"));
    QVERIFY(panel->closeEditor(first));
    CodeEditor* third = panel->newFile();
    QCOMPARE(tabText(*panel, third), QStringLiteral("Untitled 1")); // the lowest number free

    third->setText(QStringLiteral("1\n2\n3\n4\n"));
    script_.line = 3;
    panel->action(EditorAction::GoToLine)->trigger();
    QCOMPARE(third->cursorLine(), 2);
    script_.line = std::nullopt; // cancelled: the cursor stays
    panel->action(EditorAction::GoToLine)->trigger();
    QCOMPARE(third->cursorLine(), 2);
}

void TestEditorPanel::signalsAnnounceOpenedAndCurrentEditors()
{
    const QString a = makeFile(QStringLiteral("a.txt"), "a\n");
    auto panel = makePanel();
    QList<QString> events;
    connect(panel.get(), &EditorPanel::editorOpened, this, [&events](CodeEditor* editor) {
        events.append(QStringLiteral("opened ") + QFileInfo(editor->filePath()).fileName());
    });
    connect(panel.get(), &EditorPanel::currentEditorChanged, this, [&events](CodeEditor* editor) {
        events.append(QStringLiteral("current ") + (editor ? QFileInfo(editor->filePath()).fileName() : QStringLiteral("none")));
    });
    connect(panel.get(), &EditorPanel::editorAboutToClose, this, [&events](CodeEditor* editor) {
        events.append(QStringLiteral("closing ") + QFileInfo(editor->filePath()).fileName());
    });
    CodeEditor* editor = panel->openFile(a);
    panel->openFile(a); // already current: nothing to announce
    QVERIFY(panel->closeEditor(editor));
    QCOMPARE(events, (QStringList{QStringLiteral("opened a.txt"), QStringLiteral("current a.txt"),
                                  QStringLiteral("closing a.txt"), QStringLiteral("current none")}));

    // Dark theme and zoom reach every editor, later ones too (no crash, no error: a smoke test,
    // the colours are the editor's own suite's).
    panel->setDarkTheme(true);
    panel->action(EditorAction::New)->trigger();
    panel->action(EditorAction::ZoomIn)->trigger();
    panel->action(EditorAction::ResetZoom)->trigger();
}

QTEST_MAIN(TestEditorPanel)
#include "test_editor_panel.moc"
