#pragma once

#include <QElapsedTimer>
#include <QList>
#include <QPair>

namespace latent::app {

// The speed of a transfer over the last few seconds (a whole-download average would hide a stall
// and a mean since the last sample would jump), and the time left at that speed.
class TransferRate {
public:
    void restart(); // a new connection: earlier samples say nothing about it
    void add(qint64 totalReceived); // the bytes received so far, after each read
    double bytesPerSecond() const; // 0 until a second of samples exists
    qint64 secondsLeft(qint64 bytesLeft) const; // -1 when unknown

private:
    QElapsedTimer clock_;
    QList<QPair<qint64, qint64>> samples_; // (milliseconds since restart, bytes received)
};

} // namespace latent::app
