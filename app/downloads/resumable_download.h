#pragma once

#include "app/downloads/part_file_state.h"
#include "app/downloads/transfer_rate.h"

#include <QCryptographicHash>
#include <QFile>
#include <QObject>
#include <QPointer>

#include <functional>

class QNetworkAccessManager;
class QNetworkReply;

namespace latent::app {

// The free bytes of the file system that holds a folder; -1 when unknown. Tests inject a small
// number to see a full disk reported.
using FreeSpaceProbe = std::function<qint64(const QString& folder)>;
qint64 freeSpaceOnDisk(const QString& folder); // QStorageInfo

// One file fetched over HTTP into NAME.part beside its destination, streamed to disk (the reply's
// buffer is bounded), hashed as it is written, resumable after a pause, a dropped connection or an
// app restart (Range from the part's length, If-Range with the server's validator; a server that
// answers 200 instead of 206 restarts the file from zero), and renamed into place only when
// complete with the expected SHA-256. Redirects are followed (Hugging Face answers with its CDN).
class ResumableDownload : public QObject {
    Q_OBJECT

public:
    enum class Phase { Waiting, Checking, Transferring, Paused, Failed, Done };
    Q_ENUM(Phase)

    ResumableDownload(QNetworkAccessManager& network, const QString& destinationPath, PartFileState state,
                      Phase initial, FreeSpaceProbe freeSpace, QObject* parent = nullptr);
    ~ResumableDownload() override;

    void start(); // from Waiting, Paused or Failed: resumes from the part file
    void requeue(); // a paused or failed download waits for its turn again
    void pause(); // keeps the part file and its state
    void cancel(); // removes the part file and its state (never a finished file)

    Phase phase() const { return phase_; }
    QString destinationPath() const { return destinationPath_; }
    QString partPath() const { return destinationPath_ + QStringLiteral(".part"); }
    const PartFileState& state() const { return state_; }
    qint64 receivedBytes() const { return received_; }
    qint64 totalBytes() const; // the server's length, else the expected one; 0 when unknown
    double bytesPerSecond() const { return phase_ == Phase::Transferring ? rate_.bytesPerSecond() : 0; }
    qint64 secondsLeft() const;
    QString errorText() const { return error_; }

    // Bytes kept free beyond the file itself, so a download never fills the disk to the last byte.
    static constexpr qint64 spaceMarginBytes = 64 * 1024 * 1024;

signals:
    void progressed();
    void phaseChanged();

private:
    enum class Abort { None, Pause, Cancel, Failure };
    QString fileName() const;
    void setPhase(Phase phase);
    void fail(const QString& text);
    void rehashStep(quint64 generation);
    bool enoughSpace(qint64 total);
    void sendRequest();
    bool acceptHeaders();
    void readBody();
    void onFinished();
    void finishFile();
    void removePartFiles();
    QString httpErrorText(int status) const;

    QNetworkAccessManager& network_;
    QString destinationPath_;
    PartFileState state_;
    FreeSpaceProbe freeSpace_;
    Phase phase_;
    QFile part_;
    QCryptographicHash hash_{QCryptographicHash::Sha256};
    QPointer<QNetworkReply> reply_;
    Abort abort_ = Abort::None;
    bool headersAccepted_ = false;
    quint64 generation_ = 0; // a pause or cancel invalidates the re-hash steps already scheduled
    qint64 received_ = 0;
    qint64 rehashed_ = 0;
    TransferRate rate_;
    QString error_;
};

} // namespace latent::app
