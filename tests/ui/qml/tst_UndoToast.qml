import QtQuick
import Latent.Ui

Item {
    width: 600
    height: 300

    Component {
        id: toastComponent
        UndoToast {}
    }

    ComponentTestCase {
        name: "UndoToast"

        function test_undo() {
            const toast = create(toastComponent)
            const undo = spyOn(toast, "undoRequested")
            verify(!toast.visible)
            toast.deletedTitle = "Rust lifetimes"
            toast.canUndo = true
            verify(toast.visible)
            compare(named(toast, "toastText").text, "Deleted “Rust lifetimes”")
            mouseClick(named(toast, "undoButton"))
            compare(undo.count, 1)
            verify(!toast.visible)
        }

        function test_hidesAfterAWhileAndForTheNextDelete() {
            const toast = create(toastComponent, { timeoutMs: 20 })
            toast.deletedTitle = "First"
            toast.canUndo = true
            tryCompare(toast, "visible", false)
            toast.deletedTitle = "Second"
            verify(toast.visible, "a new delete shows it again")
        }
    }
}
