#pragma once

namespace latent::ui {

// Makes the app core's enums known to QML under `import Latent.App` (ModelManager.Loading, ...).
// The app core is not a QML module (it links Qt Core only), so the scene's engine learns them
// here, once per process, before Main.qml loads.
void registerAppTypes();

} // namespace latent::ui
