#pragma once

#include "app/downloads/model_catalogue.h"

#include <QAbstractListModel>

#include <optional>

namespace latent::app {

// The catalogue's files as rows for the Downloads dialog, with whether each fits the memory this
// machine has free and whether Latent's engine runs its architecture.
class CatalogueListModel : public QAbstractListModel {
    Q_OBJECT

public:
    enum Role {
        EntryIdRole = Qt::UserRole + 1,
        TitleRole,
        ArchitectureRole,
        QuantizationRole,
        FileNameRole,
        SizeBytesRole,
        MemoryBytesRole,
        PurposeRole,
        HasChecksumRole,
        FitsMemoryRole, // true, false, or undefined where the machine's memory is unknown
        RunsHereRole,
    };

    explicit CatalogueListModel(std::optional<qint64> availableMemory, QObject* parent = nullptr);

    void setEntries(QList<CatalogueEntry> entries);
    const CatalogueEntry* entry(const QString& id) const;

    int rowCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

private:
    QList<CatalogueEntry> entries_;
    std::optional<qint64> availableMemory_;
};

} // namespace latent::app
