#include "app/downloads/catalogue_list_model.h"

namespace latent::app {

namespace {
// The architectures engine/model/ implements; the others are listed for remote engines and later.
bool engineRuns(const QString& architecture)
{
    return architecture == QLatin1String("llama") || architecture == QLatin1String("deepseek2");
}
} // namespace

CatalogueListModel::CatalogueListModel(std::optional<qint64> availableMemory, QObject* parent)
    : QAbstractListModel(parent), availableMemory_(availableMemory)
{
}

void CatalogueListModel::setEntries(QList<CatalogueEntry> entries)
{
    beginResetModel();
    entries_ = std::move(entries);
    endResetModel();
}

const CatalogueEntry* CatalogueListModel::entry(const QString& id) const
{
    for (const CatalogueEntry& entry : entries_)
        if (entry.id == id)
            return &entry;
    return nullptr;
}

int CatalogueListModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(entries_.size());
}

QVariant CatalogueListModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.row() >= rowCount())
        return {};
    const CatalogueEntry& entry = entries_.at(index.row());
    switch (role) {
    case EntryIdRole: return entry.id;
    case Qt::DisplayRole:
    case TitleRole: return entry.title;
    case ArchitectureRole: return entry.architecture;
    case QuantizationRole: return entry.quantization;
    case FileNameRole: return entry.file;
    case SizeBytesRole: return double(entry.sizeBytes);
    case MemoryBytesRole: return double(entry.memoryBytes);
    case PurposeRole: return entry.purpose;
    case HasChecksumRole: return entry.hasChecksum();
    case FitsMemoryRole: return availableMemory_ ? QVariant(entry.memoryBytes <= *availableMemory_) : QVariant();
    case RunsHereRole: return engineRuns(entry.architecture);
    }
    return {};
}

QHash<int, QByteArray> CatalogueListModel::roleNames() const
{
    return {{EntryIdRole, "entryId"},         {TitleRole, "title"},           {ArchitectureRole, "architecture"},
            {QuantizationRole, "quantization"}, {FileNameRole, "fileName"},     {SizeBytesRole, "sizeBytes"},
            {MemoryBytesRole, "memoryBytes"}, {PurposeRole, "purpose"},       {HasChecksumRole, "hasChecksum"},
            {FitsMemoryRole, "fitsMemory"},   {RunsHereRole, "runsHere"}};
}

} // namespace latent::app
