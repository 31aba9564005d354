import QtQuick
import QtTest

// A TestCase with what the component tests share: components are created on the test's root
// item once its window shows, and destroyed after each test function.
TestCase {
    id: testCase

    when: windowShown

    Component {
        id: spyComponent
        SignalSpy {}
    }

    function create(component, properties) {
        const object = createTemporaryObject(component, testCase.parent, properties ?? {})
        verify(object, "the component was created")
        return object
    }

    function spyOn(target, signalName) {
        return createTemporaryObject(spyComponent, testCase, { target: target, signalName: signalName })
    }

    // Every object under `item` named `name` (findChild stops at the first).
    function findAll(item, name) {
        let found = []
        for (let i = 0; i < item.children.length; ++i) {
            const child = item.children[i]
            if (child.objectName === name)
                found.push(child)
            found = found.concat(findAll(child, name))
        }
        return found
    }

    function named(item, name) {
        const child = findChild(item, name)
        verify(child, "an item named " + name)
        return child
    }

    // WCAG 2.x contrast of two colours, from 1 (the same) to 21 (black on white); text needs 4.5.
    // Relative luminance: https://www.w3.org/TR/WCAG21/#dfn-relative-luminance
    function contrast(foreground, background) {
        const linear = (c) => c <= 0.04045 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4)
        const luminance = (color) => 0.2126 * linear(color.r) + 0.7152 * linear(color.g) + 0.0722 * linear(color.b)
        const a = luminance(foreground)
        const b = luminance(background)
        return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05)
    }

    // Clicks a button once the pointer rests over `hoverTarget` (actions show on hover).
    function hoverAndClick(hoverTarget, button) {
        mouseMove(hoverTarget, 5, 5)
        tryCompare(button, "enabled", true)
        mouseClick(button)
    }
}
