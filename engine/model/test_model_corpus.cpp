#include "engine/model/test_model.h"

namespace latent {

// The text the generated test models' vocabulary is learned from: English prose, source code in
// a few languages, and Chinese, in the proportions a coding assistant sees. Written for Latent.
std::string_view testModelCorpus()
{
    return R"corpus(A local assistant answers questions about code without sending a single byte to a server.
It reads the model file from the disk, maps the weights into memory, and computes every token on
the processor or the graphics card of the machine in front of you. The first answer takes a
moment while the prompt is processed; after that, the words appear one by one as they are made.

def greatest_common_divisor(a: int, b: int) -> int:
    """Return the greatest common divisor of a and b."""
    while b:
        a, b = b, a % b
    return abs(a)

def read_lines(path):
    with open(path, encoding="utf-8") as file:
        return [line.rstrip("\n") for line in file]

#include <algorithm>
#include <string>
#include <vector>

int count_words(const std::string& text) {
    int count = 0;
    bool inside = false;
    for (char c : text) {
        if (c == ' ' || c == '\n' || c == '\t') {
            inside = false;
        } else if (!inside) {
            inside = true;
            ++count;
        }
    }
    return count;
}

template <typename T>
T clamp_value(T value, T low, T high) {
    return std::min(std::max(value, low), high);
}

function debounce(callback, delay) {
  let timer = null;
  return (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => callback(...args), delay);
  };
}

fn main() {
    let numbers = vec![3, 1, 4, 1, 5, 9, 2, 6];
    let total: i32 = numbers.iter().sum();
    println!("total = {}", total);
}

SELECT name, COUNT(*) AS messages FROM conversations JOIN messages ON messages.conversation_id =
conversations.id GROUP BY name ORDER BY messages DESC LIMIT 10;

The quick brown fox jumps over the lazy dog. The cache holds the keys and the values of every
position, so each new token only looks back instead of computing the whole sequence again. When
the context is full, the conversation must start again or be summarized.

本地助手在你自己的电脑上运行模型，对话内容不会离开这台机器。模型文件从磁盘读取，权重映射到内存中，
每一个词都由处理器或显卡计算。第一次回答需要一点时间来处理提示，之后文字会一个接一个地出现。
请解释这段代码的作用，并指出可能的错误。这个函数计算两个整数的最大公约数。

Numbers: 0 1 2 3 4 5 6 7 8 9 10 42 100 2024 3.14159 1e-6 0x1F 65535.
Punctuation: ( ) [ ] { } < > = == != <= >= && || -> => :: ; , . ! ? " ' ` ~ @ # $ % ^ & * + - / \ |
)corpus";
}

} // namespace latent
