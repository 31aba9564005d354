import QtQuick
import Latent.Ui

// Every text colour of the theme meets WCAG AA contrast (4.5:1) on each surface it is drawn on,
// in the light theme and the dark. Theme.textDisabled is left out: WCAG exempts the text of
// disabled controls.
Item {
    ComponentTestCase {
        name: "ThemeContrast"

        // [text colour, the surfaces it is drawn on], by Theme's names.
        readonly property var pairs: [
            ["text", ["background", "sidebar", "surface", "surfaceHover", "selection", "codeBackground", "popup",
                      "dangerBackground", "warningBackground"]],
            ["textMuted", ["background", "sidebar", "surface", "surfaceHover", "selection", "codeBackground", "popup"]],
            ["accentText", ["accent", "accentHover"]], // main buttons, selected text
            ["link", ["background", "surface", "selection", "codeBackground", "popup"]],
            ["danger", ["dangerBackground", "background", "surface", "surfaceHover", "popup"]],
            ["warning", ["warningBackground", "background"]],
        ]

        property string themeBefore

        function initTestCase() { themeBefore = UiSettings.theme }
        function cleanupTestCase() { UiSettings.theme = themeBefore }

        function test_contrast_data() {
            return [{ tag: "light", theme: "light", dark: false }, { tag: "dark", theme: "dark", dark: true }]
        }

        function test_contrast(data) {
            UiSettings.theme = data.theme
            compare(Theme.dark, data.dark)
            let failing = []
            for (const [foreground, backgrounds] of pairs) {
                for (const background of backgrounds) {
                    const ratio = contrast(Theme[foreground], Theme[background])
                    if (ratio < 4.5)
                        failing.push(foreground + " on " + background + ": " + ratio.toFixed(2))
                }
            }
            verify(failing.length === 0, failing.join("; "))
        }

        // The formula, on WCAG's extremes and a grey known to fall just short.
        function test_formula() {
            fuzzyCompare(contrast(Qt.color("#000000"), Qt.color("#ffffff")), 21, 0.001)
            fuzzyCompare(contrast(Qt.color("#777777"), Qt.color("#ffffff")), 4.48, 0.01)
        }
    }
}
