pragma Singleton
import QtQuick
import Latent.Ui

// The look of the chat: one place for colors (light and dark), spacing, radii and fonts, so that
// every component agrees and a theme switch repaints everything at once.
QtObject {
    readonly property bool dark: UiSettings.darkMode

    // Surfaces, from the back of the window to the front.
    readonly property color background: dark ? "#1e1f22" : "#ffffff"
    readonly property color sidebar: dark ? "#18191b" : "#f5f6f8"
    readonly property color surface: dark ? "#2a2c30" : "#eef0f4"       // user bubbles, inputs
    readonly property color surfaceHover: dark ? "#32353a" : "#e6e9ee"
    readonly property color selection: dark ? "#2f3a55" : "#e1e8fb"     // the open conversation
    readonly property color codeBackground: dark ? "#141517" : "#f6f8fa"
    readonly property color popup: dark ? "#26282c" : "#ffffff"
    readonly property color border: dark ? "#373a40" : "#e1e4e9"

    // Every text colour reads at WCAG AA contrast (4.5:1) on the surfaces it is drawn on, in both
    // themes (tests/ui/qml/tst_ThemeContrast.qml checks each pair). The C++ side's palette, for the
    // menu bar, the editor panel and the links in messages, takes these colours (ui/theme_palette.cpp).
    readonly property color text: dark ? "#e4e6ea" : "#1f2328"
    readonly property color textMuted: dark ? "#a4aab2" : "#5c636c"
    // Exempt from the contrast rule, as WCAG exempts disabled controls.
    readonly property color textDisabled: dark ? "#5f646b" : "#a8adb4"
    readonly property color accent: dark ? "#4c6ae0" : "#3f63e0" // a fill under accentText
    readonly property color accentText: "#ffffff"
    readonly property color link: dark ? "#8ab4f8" : "#0b57d0"   // links, and text that acts as one
    readonly property color accentHover: dark ? "#3f5bd0" : "#3354c7"
    readonly property color danger: dark ? "#f07a7a" : "#b83232"
    readonly property color dangerBackground: dark ? "#3a2426" : "#fdecec"
    readonly property color warning: dark ? "#e3ac4f" : "#965700"
    readonly property color warningBackground: dark ? "#3a3020" : "#fff5e0"

    // Spacing steps; everything is laid out on this scale.
    readonly property int spacingTiny: 4
    readonly property int spacingSmall: 8
    readonly property int spacingMedium: 12
    readonly property int spacingLarge: 16
    readonly property int spacingHuge: 24

    readonly property int radiusSmall: 6
    readonly property int radiusMedium: 10
    readonly property int radiusLarge: 16

    readonly property int fontSizeSmall: 12
    readonly property int fontSizeBody: 14
    readonly property int fontSizeTitle: 16
    readonly property int fontSizeHeading: 24
    // Each platform's monospace face; "monospace" is fontconfig's alias elsewhere.
    readonly property string monospaceFamily: Qt.platform.os === "windows" ? "Consolas"
                                            : Qt.platform.os === "osx" ? "Menlo" : "monospace"

    readonly property int sidebarWidth: 270
    readonly property int contentMaxWidth: 820 // a readable line length for the chat column
    readonly property int animationDuration: 150
}
