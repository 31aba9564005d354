import QtQuick
import QtQuick.Controls.Basic

// A SpinBox for a decimal setting (SpinBox counts in integers: this one counts in hundredths).
// Bind realValue to the setting and write it back in onRealValueModified, so both stay in step.
SpinBox {
    id: spin

    property real realValue: 0
    property real realFrom: 0
    property real realTo: 1
    property real realStep: 0.05
    property int decimals: 2

    signal realValueModified(real newValue)

    readonly property int factor: Math.pow(10, decimals)

    from: Math.round(realFrom * factor)
    to: Math.round(realTo * factor)
    stepSize: Math.max(1, Math.round(realStep * factor))
    value: Math.round(realValue * factor)
    editable: true
    onValueModified: realValueModified(value / factor)

    validator: DoubleValidator {
        bottom: spin.realFrom
        top: spin.realTo
        decimals: spin.decimals
        notation: DoubleValidator.StandardNotation
    }
    textFromValue: (value, locale) => Number(value / spin.factor).toLocaleString(locale, "f", spin.decimals)
    valueFromText: (text, locale) => Math.round(Number.fromLocaleString(locale, text) * spin.factor)
}
