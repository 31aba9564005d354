#include "app/downloads/transfer_rate.h"

#include <cmath>

namespace latent::app {

namespace {
constexpr qint64 windowMs = 5000;
constexpr qint64 minimumSpanMs = 500;
}

void TransferRate::restart()
{
    clock_.start();
    samples_.clear();
}

void TransferRate::add(qint64 totalReceived)
{
    if (!clock_.isValid())
        clock_.start();
    const qint64 now = clock_.elapsed();
    samples_.append({now, totalReceived});
    while (samples_.size() > 2 && now - samples_.at(1).first >= windowMs)
        samples_.removeFirst();
}

double TransferRate::bytesPerSecond() const
{
    if (samples_.size() < 2)
        return 0;
    const qint64 span = samples_.last().first - samples_.first().first;
    if (span < minimumSpanMs)
        return 0;
    return double(samples_.last().second - samples_.first().second) * 1000.0 / double(span);
}

qint64 TransferRate::secondsLeft(qint64 bytesLeft) const
{
    const double speed = bytesPerSecond();
    if (speed <= 0 || bytesLeft < 0)
        return -1;
    return static_cast<qint64>(std::ceil(double(bytesLeft) / speed));
}

} // namespace latent::app
