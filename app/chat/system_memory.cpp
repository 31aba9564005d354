#include "app/chat/system_memory.h"

#if defined(Q_OS_LINUX)
#include <QFile>
#include <QRegularExpression>
#elif defined(Q_OS_MACOS)
#include <mach/mach.h>
#elif defined(Q_OS_WIN)
#include <windows.h>
#endif

namespace latent::app {

std::optional<qint64> availableMemoryBytes()
{
#if defined(Q_OS_LINUX)
    QFile meminfo(QStringLiteral("/proc/meminfo"));
    if (!meminfo.open(QIODevice::ReadOnly | QIODevice::Text))
        return std::nullopt;
    static const QRegularExpression line(QStringLiteral("^MemAvailable:\\s+(\\d+) kB$"),
                                         QRegularExpression::MultilineOption);
    const QRegularExpressionMatch match = line.match(QString::fromLatin1(meminfo.readAll()));
    if (!match.hasMatch())
        return std::nullopt;
    return match.captured(1).toLongLong() * 1024;
#elif defined(Q_OS_MACOS)
    vm_statistics64_data_t stats;
    mach_msg_type_number_t count = HOST_VM_INFO64_COUNT;
    if (host_statistics64(mach_host_self(), HOST_VM_INFO64, reinterpret_cast<host_info64_t>(&stats), &count) !=
        KERN_SUCCESS)
        return std::nullopt;
    vm_size_t pageSize = 0;
    host_page_size(mach_host_self(), &pageSize);
    return qint64(stats.free_count + stats.inactive_count) * qint64(pageSize);
#elif defined(Q_OS_WIN)
    MEMORYSTATUSEX status{};
    status.dwLength = sizeof(status);
    if (!GlobalMemoryStatusEx(&status))
        return std::nullopt;
    return qint64(status.ullAvailPhys);
#else
    return std::nullopt;
#endif
}

} // namespace latent::app
