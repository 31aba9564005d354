#pragma once

#include <QCollator>
#include <QSortFilterProxyModel>
#include <QTreeView>

class QFileSystemModel;

namespace latent::ui {

// The files of a source tree a person edits: folders first, then files, each in natural order
// (file2 before file10, case ignored, by the user's locale). Hidden are names that start with '.' (.git, .venv, .cache,
// editor and tool settings) and the folders that builds and package managers fill, which hold
// thousands of generated files nobody opens from here: build, build-*, cmake-build-* (CMake,
// Qt Creator, CLion), node_modules, dist, out (JavaScript), __pycache__, venv (Python),
// target (Rust, Maven). Whatever lies above the root folder is kept, so that a root inside a
// hidden or ignored folder still shows.
class SourceTreeFilter : public QSortFilterProxyModel {
    Q_OBJECT

public:
    explicit SourceTreeFilter(QObject* parent = nullptr);

    void setRootFolder(const QString& folder);
    // By name alone: true for the hidden names and, for folders, the ignored ones above.
    static bool isHidden(const QString& name, bool isFolder);

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const override;
    bool lessThan(const QModelIndex& left, const QModelIndex& right) const override;

private:
    QFileSystemModel* fileSystem() const;

    QString rootFolder_;
    QCollator collator_;
};

// A folder opened beside the editor's tabs, as a tree of its files without a header. Enter or a
// double click (a single click where the platform activates on one) opens a file and expands or
// collapses a folder.
class FileTree : public QTreeView {
    Q_OBJECT

public:
    explicit FileTree(QWidget* parent = nullptr);

    void setRootFolder(const QString& folder); // empty: none
    QString rootFolder() const { return rootFolder_; }

signals:
    void fileActivated(const QString& path);

private:
    void activate(const QModelIndex& index);

    QFileSystemModel* fileSystem_ = nullptr;
    SourceTreeFilter* filter_ = nullptr;
    QString rootFolder_;
};

} // namespace latent::ui
