#include "ui/theme_palette.h"

#include <array>

namespace latent::ui {
namespace {

// Each role in both themes, side by side as in Theme.qml, whose colour each one is.
struct Shade {
    QPalette::ColorGroup group;
    QPalette::ColorRole role;
    QRgb light;
    QRgb dark;
};

constexpr QRgb lightLink = 0x0b57d0; // Theme.link
constexpr QRgb darkLink = 0x8ab4f8;

constexpr std::array kShades{
    Shade{QPalette::All, QPalette::Window, 0xf5f6f8, 0x18191b},          // Theme.sidebar: menu bar, panels
    Shade{QPalette::All, QPalette::WindowText, 0x1f2328, 0xe4e6ea},      // Theme.text
    Shade{QPalette::All, QPalette::Base, 0xffffff, 0x1e1f22},            // Theme.background: lists, fields
    Shade{QPalette::All, QPalette::AlternateBase, 0xf5f6f8, 0x18191b},   // Theme.sidebar
    Shade{QPalette::All, QPalette::Text, 0x1f2328, 0xe4e6ea},            // Theme.text
    Shade{QPalette::All, QPalette::PlaceholderText, 0x5c636c, 0xa4aab2}, // Theme.textMuted
    Shade{QPalette::All, QPalette::Button, 0xeef0f4, 0x2a2c30},          // Theme.surface
    Shade{QPalette::All, QPalette::ButtonText, 0x1f2328, 0xe4e6ea},      // Theme.text
    Shade{QPalette::All, QPalette::BrightText, 0xffffff, 0xffffff},      // Theme.accentText
    Shade{QPalette::All, QPalette::Highlight, 0x3f63e0, 0x4c6ae0},       // Theme.accent
    Shade{QPalette::All, QPalette::HighlightedText, 0xffffff, 0xffffff}, // Theme.accentText
    Shade{QPalette::All, QPalette::ToolTipBase, 0xffffff, 0x26282c},     // Theme.popup
    Shade{QPalette::All, QPalette::ToolTipText, 0x1f2328, 0xe4e6ea},     // Theme.text
    Shade{QPalette::All, QPalette::Light, 0xe6e9ee, 0x32353a},           // Theme.surfaceHover
    Shade{QPalette::All, QPalette::Midlight, 0xeef0f4, 0x2a2c30},        // Theme.surface
    Shade{QPalette::All, QPalette::Mid, 0xe1e4e9, 0x373a40},             // Theme.border
    Shade{QPalette::All, QPalette::Dark, 0xa8adb4, 0x5f646b},            // Theme.textDisabled: frames
    Shade{QPalette::All, QPalette::Shadow, 0x000000, 0x000000},
    Shade{QPalette::All, QPalette::Link, lightLink, darkLink},
    Shade{QPalette::All, QPalette::LinkVisited, lightLink, darkLink},
    Shade{QPalette::Disabled, QPalette::WindowText, 0xa8adb4, 0x5f646b}, // Theme.textDisabled
    Shade{QPalette::Disabled, QPalette::Text, 0xa8adb4, 0x5f646b},
    Shade{QPalette::Disabled, QPalette::ButtonText, 0xa8adb4, 0x5f646b},
};

} // namespace

QPalette themePalette(bool dark)
{
    QPalette palette;
    for (const Shade& shade : kShades) // All first, then the Disabled group over it
        palette.setColor(shade.group, shade.role, QColor(dark ? shade.dark : shade.light));
    return palette;
}

QColor themeLinkColour(bool dark)
{
    return QColor(dark ? darkLink : lightLink);
}

} // namespace latent::ui
