import QtQuick
import QtQuick.Controls.Basic
import Latent.Ui

// The app's drop-down list, drawn in Theme's colours rather than the palette's: in Qt 6.4 a
// combo box's list is a popup that does not take the palette of the dialog it opens in, so the
// Basic style drew its highlighted item white on near-white in the dark theme. The current item
// is bold; the one under the pointer or the keys has the selection colour.
ComboBox {
    id: control

    font.pixelSize: Theme.fontSizeBody

    contentItem: Text {
        leftPadding: Theme.spacingMedium
        rightPadding: control.indicator.width + Theme.spacingSmall
        text: control.displayText
        font: control.font
        color: control.enabled ? Theme.text : Theme.textDisabled
        verticalAlignment: Text.AlignVCenter
        elide: Text.ElideRight
    }

    indicator: Text {
        x: control.width - width - Theme.spacingMedium
        y: (control.height - height) / 2
        text: "▾"
        color: control.enabled ? Theme.textMuted : Theme.textDisabled
        font.pixelSize: Theme.fontSizeBody
    }

    background: Rectangle {
        implicitWidth: 140
        implicitHeight: 34
        radius: Theme.radiusSmall
        color: control.down ? Theme.surfaceHover : Theme.surface
        border.width: 1
        border.color: control.visualFocus ? Theme.accent : Theme.border
    }

    delegate: ItemDelegate {
        id: item

        required property var model
        required property int index

        width: ListView.view.width
        text: control.textRole ? (Array.isArray(control.model) ? model.modelData[control.textRole] : model[control.textRole])
                               : model.modelData
        highlighted: control.highlightedIndex === index
        hoverEnabled: control.hoverEnabled

        contentItem: Text {
            objectName: "itemText"
            text: item.text
            font.pixelSize: control.font.pixelSize
            font.weight: control.currentIndex === item.index ? Font.DemiBold : Font.Normal
            color: Theme.text
            elide: Text.ElideRight
            verticalAlignment: Text.AlignVCenter
        }
        background: Rectangle {
            objectName: "itemBackground"
            color: item.highlighted || item.down ? Theme.selection : Theme.popup
        }
    }

    popup: Popup {
        y: control.height + Theme.spacingTiny
        width: control.width
        height: Math.min(contentItem.implicitHeight + topPadding + bottomPadding,
                         control.Window.height - topMargin - bottomMargin)
        topMargin: Theme.spacingSmall
        bottomMargin: Theme.spacingSmall
        padding: 1 // inside the border

        contentItem: ListView {
            clip: true
            implicitHeight: contentHeight
            model: control.delegateModel
            currentIndex: control.highlightedIndex
            highlightMoveDuration: 0
            ScrollIndicator.vertical: ScrollIndicator {}
        }
        background: Rectangle {
            color: Theme.popup
            radius: Theme.radiusSmall
            border.color: Theme.border
        }
    }
}
