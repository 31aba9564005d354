import QtQml

// What each catalogue file is for, in the UI's language, by the entry's id
// (resources/models/catalogue.json); an entry this list does not know shows the catalogue's English.
QtObject {
    function text(entryId, english) {
        switch (entryId) {
        case "deepseek-coder-1.3b-instruct-q4_k_m": return qsTr("Fast code chat and completion on any laptop.")
        case "deepseek-coder-1.3b-base-q4_k_m": return qsTr("Completion as you type (fill-in-the-middle) with little memory.")
        case "deepseek-coder-6.7b-instruct-q4_k_m": return qsTr("Code chat, explanations and reviews: a good balance on 8 to 16 GB.")
        case "deepseek-coder-6.7b-base-q4_k_m": return qsTr("Better completion as you type (fill-in-the-middle) on 8 GB or more.")
        case "deepseek-coder-33b-instruct-q4_k_m": return qsTr("The strongest DeepSeek-Coder for chat, on 32 GB or more.")
        case "deepseek-coder-33b-base-q4_k_m": return qsTr("The strongest completion as you type, on 32 GB or more.")
        case "deepseek-llm-7b-chat-q4_k_m": return qsTr("General chat in English and Chinese.")
        case "deepseek-math-7b-instruct-q4_k_m": return qsTr("Step-by-step mathematics.")
        case "deepseek-v2-lite-chat-q4_k_m": return qsTr("Mixture-of-experts chat: 16B parameters at the speed of a 2.4B model.")
        case "deepseek-coder-v2-lite-instruct-q3_k_s": return qsTr("Mixture-of-experts code model, fast on the CPU; the smaller file for 12 to 16 GB.")
        case "deepseek-coder-v2-lite-instruct-q6_k": return qsTr("Mixture-of-experts code model, fast on the CPU; near full quality on 24 GB or more.")
        case "deepseek-r1-distill-qwen-1.5b-q4_k_m": return qsTr("R1's thinking in a small model: reasoning and mathematics.")
        case "deepseek-r1-distill-qwen-7b-q4_k_m": return qsTr("R1's thinking: reasoning, mathematics and code.")
        case "deepseek-r1-distill-qwen-14b-q4_k_m": return qsTr("R1's thinking with more knowledge, on 16 GB or more.")
        case "deepseek-r1-distill-llama-8b-q4_k_m": return qsTr("R1's thinking on a Llama base: reasoning and general chat.")
        }
        return english
    }
}
