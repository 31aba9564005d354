#include "ui/editor/file_tree.h"

#include <QDir>
#include <QFileSystemModel>
#include <QHeaderView>

namespace latent::ui {

namespace {

bool isIgnoredFolder(const QString& name)
{
    static const QStringList exactNames = {
        QStringLiteral("build"),       QStringLiteral("node_modules"), QStringLiteral("__pycache__"),
        QStringLiteral("target"),      QStringLiteral("dist"),         QStringLiteral("out"),
        QStringLiteral("venv"),
    };
    return exactNames.contains(name) || name.startsWith(QLatin1String("build-"))
        || name.startsWith(QLatin1String("cmake-build-"));
}

// Runs of digits by value: leading zeros aside, a longer run is a larger number.
int compareNumbers(QStringView left, QStringView right)
{
    while (left.size() > 1 && left.front() == QLatin1Char('0'))
        left = left.mid(1);
    while (right.size() > 1 && right.front() == QLatin1Char('0'))
        right = right.mid(1);
    if (left.size() != right.size())
        return left.size() < right.size() ? -1 : 1;
    return left.compare(right);
}

// Names in the order people count them: file2 before file10. Digits compare by value and the rest
// by the collator. Not QCollator's numeric mode: some locales (the C locale among them) lack it.
int compareNaturally(const QString& left, const QString& right, const QCollator& collator)
{
    qsizetype i = 0;
    qsizetype j = 0;
    while (i < left.size() && j < right.size()) {
        const bool leftDigits = left[i].isDigit();
        const bool rightDigits = right[j].isDigit();
        qsizetype leftEnd = i;
        while (leftEnd < left.size() && left[leftEnd].isDigit() == leftDigits)
            ++leftEnd;
        qsizetype rightEnd = j;
        while (rightEnd < right.size() && right[rightEnd].isDigit() == rightDigits)
            ++rightEnd;
        const QStringView leftRun = QStringView(left).sliced(i, leftEnd - i);
        const QStringView rightRun = QStringView(right).sliced(j, rightEnd - j);
        const int order = leftDigits && rightDigits ? compareNumbers(leftRun, rightRun)
                                                    : collator.compare(leftRun, rightRun);
        if (order != 0)
            return order;
        i = leftEnd;
        j = rightEnd;
    }
    if (i < left.size() || j < right.size())
        return i < left.size() ? 1 : -1;
    // Equal so far ("a01" and "a1", "README" and "readme"): any order, as long as it is fixed.
    const int order = collator.compare(left, right);
    return order != 0 ? order : left.compare(right);
}

// Paths inside the root only: the root and the folders above it always show.
bool isInside(const QString& path, const QString& folder)
{
    return path.size() > folder.size() + 1 && path.startsWith(folder)
        && (folder.endsWith(QLatin1Char('/')) || path.at(folder.size()) == QLatin1Char('/'));
}

} // namespace

SourceTreeFilter::SourceTreeFilter(QObject* parent)
    : QSortFilterProxyModel(parent)
{
    collator_.setCaseSensitivity(Qt::CaseInsensitive);
    setDynamicSortFilter(true);
    setRecursiveFilteringEnabled(false);
}

void SourceTreeFilter::setRootFolder(const QString& folder)
{
    rootFolder_ = folder;
    invalidateFilter();
}

bool SourceTreeFilter::isHidden(const QString& name, bool isFolder)
{
    return name.startsWith(QLatin1Char('.')) || (isFolder && isIgnoredFolder(name));
}

bool SourceTreeFilter::filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const
{
    const QModelIndex index = fileSystem()->index(sourceRow, 0, sourceParent);
    if (!isInside(fileSystem()->filePath(index), rootFolder_))
        return true;
    return !isHidden(fileSystem()->fileName(index), fileSystem()->isDir(index));
}

bool SourceTreeFilter::lessThan(const QModelIndex& left, const QModelIndex& right) const
{
    const bool leftIsFolder = fileSystem()->isDir(left);
    if (leftIsFolder != fileSystem()->isDir(right))
        return leftIsFolder;
    return compareNaturally(fileSystem()->fileName(left), fileSystem()->fileName(right), collator_) < 0;
}

QFileSystemModel* SourceTreeFilter::fileSystem() const
{
    return static_cast<QFileSystemModel*>(sourceModel());
}

FileTree::FileTree(QWidget* parent)
    : QTreeView(parent)
    , fileSystem_(new QFileSystemModel(this))
    , filter_(new SourceTreeFilter(this))
{
    // Hidden entries reach the filter, which decides by name the same way on every platform.
    fileSystem_->setFilter(QDir::AllDirs | QDir::Files | QDir::NoDotAndDotDot | QDir::Hidden);
    filter_->setSourceModel(fileSystem_);
    filter_->sort(0);
    setModel(filter_);

    setHeaderHidden(true);
    for (int column = 1; column < fileSystem_->columnCount(); ++column)
        hideColumn(column);
    setFrameShape(QFrame::NoFrame);
    setIndentation(14);
    setUniformRowHeights(true); // every row one line: lets large folders scroll fast
    setAnimated(false);
    setEditTriggers(QAbstractItemView::NoEditTriggers);
    setDragEnabled(false);
    setSortingEnabled(false); // the filter sorts, folders first
    setExpandsOnDoubleClick(false); // activate() toggles folders, for Enter as well
    connect(this, &QTreeView::activated, this, &FileTree::activate);
}

void FileTree::setRootFolder(const QString& folder)
{
    rootFolder_ = folder.isEmpty() ? QString() : QDir(folder).absolutePath();
    filter_->setRootFolder(rootFolder_);
    if (rootFolder_.isEmpty()) {
        setRootIndex({});
        return;
    }
    const QModelIndex root = fileSystem_->setRootPath(rootFolder_);
    setRootIndex(filter_->mapFromSource(root));
}

void FileTree::activate(const QModelIndex& index)
{
    const QModelIndex source = filter_->mapToSource(index);
    if (fileSystem_->isDir(source))
        setExpanded(index, !isExpanded(index));
    else
        emit fileActivated(fileSystem_->filePath(source));
}

} // namespace latent::ui
