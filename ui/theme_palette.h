#pragma once

#include <QColor>
#include <QPalette>

namespace latent::ui {

// The widgets' side of the chat's theme (ui/qml/Theme.qml): the menu bar, the menus, the editor
// panel's trees and tabs, and the colour of links in messages, which Qt's markdown reader takes
// from the application palette's Link role. UiSettings applies it on every theme switch.

// The whole palette of a theme the user chose, light or dark, in Theme.qml's colours.
QPalette themePalette(bool dark);

// Theme.link: the one colour set over the system's palette when the theme follows the system
// (most systems' dark palettes keep Qt's pure blue links, 1.9:1 on a dark background).
QColor themeLinkColour(bool dark);

} // namespace latent::ui
